#include "report/observed_json.h"

#include "explain/event_names.h"
#include "model/conntrack_entry.h"
#include "model/ip_protocol.h"

namespace pathwhy {
namespace {

using nlohmann::json;
using Kind = ObservedEvent::Kind;

json text_or_null(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

std::string kind_name(Kind kind) {
    switch (kind) {
        case Kind::route_lookup:
            return "route_lookup";
        case Kind::netfilter:
            return "netfilter";
        case Kind::drop:
            return "drop";
        case Kind::icmp_error:
            return "icmp_error";
        case Kind::neighbour:
            return "neighbour";
    }
    return "route_lookup";
}

json tuple_to_json(const FlowTuple& flow) {
    return {{"protocol", ip_protocol_name(flow.protocol)},
            {"src", flow.source.str()},
            {"sport", flow.source_port},
            {"dst", flow.destination.str()},
            {"dport", flow.destination_port}};
}

json conntrack_to_json(const ConntrackView& view) {
    return {{"state", ctinfo_state_name(view.ctinfo)},
            {"reply_direction", ctinfo_is_reply(view.ctinfo)},
            {"original", tuple_to_json(view.original)},
            {"reply", tuple_to_json(view.reply)},
            {"status", conntrack_status_names(view.status)},
            {"mark", view.mark}};
}

json step_to_json(const ObservedStep& step) {
    const ObservedEvent& e = step.event;
    json j = {{"kind", kind_name(e.kind)},
              {"time_offset_ns", step.offset_ns},
              {"netns", e.netns_inode},
              {"packet", step.packet >= 0 ? json(step.packet) : json(nullptr)},
              {"tuple", e.kind == Kind::neighbour ? json(nullptr) : tuple_to_json(e.packet)},
              {"in_dev", text_or_null(step.in_dev)},
              {"out_dev", text_or_null(step.out_dev)},
              {"mark", e.mark}};
    switch (e.kind) {
        case Kind::route_lookup:
            j["table"] = table_name(e.table);
            j["error"] = e.lookup_error ? json(lookup_error_name(e.lookup_error)) : json(nullptr);
            j["gateway"] = e.gateway ? json(e.gateway->str()) : json(nullptr);
            j["nexthop_dev"] = text_or_null(step.nexthop_dev);
            break;
        case Kind::netfilter:
            j["hook"] = netfilter_hook_name(e.hook);
            j["edge"] = e.edge == HookEdge::entry ? "entry" : "exit";
            j["priority"] = e.priority;
            j["conntrack"] = e.conntrack ? conntrack_to_json(*e.conntrack) : json(nullptr);
            break;
        case Kind::drop:
            j["reason"] = text_or_null(e.drop_reason_name);
            j["reason_code"] = e.drop_reason;
            j["location"] = text_or_null(e.drop_location);
            break;
        case Kind::icmp_error:
            j["icmp_type"] = e.icmp_type;
            j["icmp_code"] = e.icmp_code;
            j["icmp_meaning"] = icmp_meaning(e.icmp_type, e.icmp_code);
            break;
        case Kind::neighbour:
            j["neighbour"] = e.neighbour.str();
            j["old_state"] = nud_state_name(e.old_state);
            j["new_state"] = nud_state_name(e.new_state);
            break;
    }
    return j;
}

}  // namespace

json observed_to_json(const ObservedPath& path) {
    json steps = json::array();
    for (const auto& step : path.steps) steps.push_back(step_to_json(step));
    return steps;
}

json views_to_json(const KernelViews& views) {
    json out = json::array();
    for (const auto& view : views)
        out.push_back({{"id", kernel_view_id(view.view)},
                       {"active", view.active},
                       {"mechanism", text_or_null(view.mechanism)},
                       {"reason", text_or_null(view.reason)},
                       {"loss", text_or_null(view.loss)}});
    return out;
}

json unfinished_to_json(const std::vector<UnfinishedPacket>& unfinished) {
    json out = json::array();
    for (const auto& packet : unfinished)
        out.push_back({{"packet_id", packet.packet_id},
                       {"hook", packet.hook},
                       {"cause", unfinished_cause_id(packet.cause)}});
    return out;
}

json trace_to_json(const std::optional<TraceInfo>& trace) {
    if (!trace) return nullptr;
    const bool probe = trace->mode == Observation::Mode::probe;
    return {{"mode", probe ? "probe" : "watch"},
            {"probe", text_or_null(trace->probe)},
            {"from", text_or_null(trace->from)},
            {"watch_seconds", probe ? json(nullptr) : json(trace->watch_seconds)},
            {"interrupted", trace->interrupted},
            {"outcome", text_or_null(trace->outcome)},
            {"outcome_after_ms", probe ? json(trace->outcome_after_ms) : json(nullptr)},
            {"events", trace->events},
            {"lost_events", trace->lost_events},
            {"unfinished_packets", unfinished_to_json(trace->unfinished)}};
}

json drop_to_json(const std::optional<DropPoint>& drop) {
    if (!drop) return nullptr;
    return {{"hook", text_or_null(drop->hook)},
            {"tables", drop->tables},
            {"table", text_or_null(drop->table)},
            {"chain", text_or_null(drop->chain)},
            {"rule", text_or_null(drop->rule)},
            {"certain", drop->certain},
            {"reason", text_or_null(drop->reason)},
            {"location", text_or_null(drop->location)},
            {"in_dev", text_or_null(drop->in_dev)},
            {"out_dev", text_or_null(drop->out_dev)},
            {"packets", drop->packets},
            {"confirmed", drop->confirmed},
            {"unconfirmed_because", text_or_null(drop->unconfirmed_because)}};
}

}  // namespace pathwhy
