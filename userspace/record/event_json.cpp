#include "record/event_json.h"

#include "record/json_fields.h"

namespace pathwhy::record_json {
namespace {

std::string kind_name(ObservedEvent::Kind kind) {
    switch (kind) {
        case ObservedEvent::Kind::route_lookup: return "route_lookup";
        case ObservedEvent::Kind::netfilter: return "netfilter";
        case ObservedEvent::Kind::drop: return "drop";
        case ObservedEvent::Kind::icmp_error: return "icmp_error";
        case ObservedEvent::Kind::neighbour: return "neighbour";
    }
    return "route_lookup";
}

std::string edge_name(HookEdge edge) { return edge == HookEdge::entry ? "entry" : "exit"; }

json tuple_to_json(const FlowTuple& tuple) {
    json j = {{"src", tuple.source.str()}, {"dst", tuple.destination.str()}};
    put(j, "proto", tuple.protocol);
    put(j, "sport", tuple.source_port);
    put(j, "dport", tuple.destination_port);
    return j;
}

FlowTuple tuple_from_json(const json& j) {
    FlowTuple tuple;
    tuple.source = address(j, "src").value_or(Ipv4Address{});
    tuple.destination = address(j, "dst").value_or(Ipv4Address{});
    tuple.protocol = integer<std::uint8_t>(j, "proto");
    tuple.source_port = integer<std::uint16_t>(j, "sport");
    tuple.destination_port = integer<std::uint16_t>(j, "dport");
    return tuple;
}

json conntrack_view_to_json(const ConntrackView& view) {
    json j = {{"original", tuple_to_json(view.original)}, {"reply", tuple_to_json(view.reply)}};
    put(j, "ctinfo", view.ctinfo);
    put(j, "status", view.status);
    put(j, "mark", view.mark);
    return j;
}

ConntrackView conntrack_view_from_json(const json& j) {
    ConntrackView view;
    view.ctinfo = integer<std::uint8_t>(j, "ctinfo");
    if (const json* original = field(j, "original")) view.original = tuple_from_json(*original);
    if (const json* reply = field(j, "reply")) view.reply = tuple_from_json(*reply);
    view.status = integer<std::uint32_t>(j, "status");
    view.mark = integer<std::uint32_t>(j, "mark");
    return view;
}

}  // namespace

json observed_event_to_json(const ObservedEvent& event) {
    json j = {{"kind", kind_name(event.kind)},
              {"ts", event.timestamp_ns},
              {"packet", tuple_to_json(event.packet)}};
    put(j, "netns", event.netns_inode);
    put(j, "packet_id", event.packet_id);
    put(j, "in", event.in_ifindex);
    put(j, "out", event.out_ifindex);
    put(j, "mark", event.mark);
    switch (event.kind) {
        case ObservedEvent::Kind::route_lookup:
            put(j, "table", event.table);
            put(j, "error", event.lookup_error);
            put(j, "gateway", event.gateway);
            put(j, "nexthop", event.nexthop_ifindex);
            break;
        case ObservedEvent::Kind::netfilter:
            j["hook"] = netfilter_hook_name(event.hook);
            j["edge"] = edge_name(event.edge);
            put(j, "priority", event.priority);
            if (event.conntrack) j["conntrack"] = conntrack_view_to_json(*event.conntrack);
            break;
        case ObservedEvent::Kind::drop:
            put(j, "reason", event.drop_reason);
            put(j, "reason_name", event.drop_reason_name);
            put(j, "location", event.drop_location);
            break;
        case ObservedEvent::Kind::icmp_error:
            j["icmp_type"] = event.icmp_type;
            j["icmp_code"] = event.icmp_code;
            break;
        case ObservedEvent::Kind::neighbour:
            j["neighbour"] = event.neighbour.str();
            put(j, "old_state", event.old_state);
            put(j, "new_state", event.new_state);
            break;
    }
    return j;
}

ObservedEvent observed_event_from_json(const json& j) {
    ObservedEvent event;
    event.kind = named(j, "kind",
                       {ObservedEvent::Kind::route_lookup, ObservedEvent::Kind::netfilter,
                        ObservedEvent::Kind::drop, ObservedEvent::Kind::icmp_error,
                        ObservedEvent::Kind::neighbour},
                       kind_name);
    event.timestamp_ns = integer<std::uint64_t>(j, "ts");
    event.netns_inode = integer<std::uint32_t>(j, "netns");
    event.packet_id = integer<std::uint64_t>(j, "packet_id");
    if (const json* packet = field(j, "packet")) event.packet = tuple_from_json(*packet);
    event.in_ifindex = integer<int>(j, "in");
    event.out_ifindex = integer<int>(j, "out");
    event.mark = integer<std::uint32_t>(j, "mark");
    event.table = integer<std::uint32_t>(j, "table");
    event.lookup_error = integer<int>(j, "error");
    event.gateway = address(j, "gateway");
    event.nexthop_ifindex = integer<int>(j, "nexthop");
    event.hook = named(j, "hook",
                       {NetfilterHook::prerouting, NetfilterHook::local_in, NetfilterHook::forward,
                        NetfilterHook::local_out, NetfilterHook::postrouting},
                       netfilter_hook_name);
    event.edge = named(j, "edge", {HookEdge::entry, HookEdge::exit}, edge_name);
    event.priority = integer<int>(j, "priority");
    if (const json* conntrack = field(j, "conntrack"))
        event.conntrack = conntrack_view_from_json(*conntrack);
    event.drop_reason = integer<std::uint32_t>(j, "reason");
    event.drop_reason_name = text(j, "reason_name");
    event.drop_location = text(j, "location");
    event.icmp_type = integer<std::uint8_t>(j, "icmp_type");
    event.icmp_code = integer<std::uint8_t>(j, "icmp_code");
    event.neighbour = address(j, "neighbour").value_or(Ipv4Address{});
    event.old_state = integer<std::uint16_t>(j, "old_state");
    event.new_state = integer<std::uint16_t>(j, "new_state");
    return event;
}

json conntrack_entry_to_json(const ConntrackEntry& entry) {
    json j = {{"original", tuple_to_json(entry.original)}, {"reply", tuple_to_json(entry.reply)}};
    put(j, "id", entry.id);
    put(j, "status", entry.status);
    put(j, "tcp_state", entry.tcp_state);
    put(j, "timeout", entry.timeout_seconds);
    put(j, "mark", entry.mark);
    put(j, "zone", entry.zone);
    for (const auto& [key, counters] : {std::pair{"counters_original", &entry.counters_original},
                                        std::pair{"counters_reply", &entry.counters_reply}})
        if (*counters) j[key] = {{"packets", (*counters)->packets}, {"bytes", (*counters)->bytes}};
    if (entry.started_unix_ns) j["started_ns"] = *entry.started_unix_ns;
    return j;
}

namespace {

std::optional<ConntrackCounters> counters_from_json(const json& j, const char* key) {
    const json* value = field(j, key);
    if (!value) return std::nullopt;
    return ConntrackCounters{integer<std::uint64_t>(*value, "packets"),
                             integer<std::uint64_t>(*value, "bytes")};
}

}  // namespace

ConntrackEntry conntrack_entry_from_json(const json& j) {
    ConntrackEntry entry;
    if (const json* original = field(j, "original")) entry.original = tuple_from_json(*original);
    if (const json* reply = field(j, "reply")) entry.reply = tuple_from_json(*reply);
    entry.id = integer<std::uint32_t>(j, "id");
    entry.status = integer<std::uint32_t>(j, "status");
    entry.tcp_state = integer<std::uint8_t>(j, "tcp_state");
    entry.timeout_seconds = integer<std::uint32_t>(j, "timeout");
    entry.mark = integer<std::uint32_t>(j, "mark");
    entry.zone = integer<std::uint16_t>(j, "zone");
    entry.counters_original = counters_from_json(j, "counters_original");
    entry.counters_reply = counters_from_json(j, "counters_reply");
    if (field(j, "started_ns")) entry.started_unix_ns = integer<std::int64_t>(j, "started_ns");
    return entry;
}

json conntrack_event_to_json(const ConntrackEvent& event) {
    return {{"event", conntrack_event_type_name(event.type)},
            {"entry", conntrack_entry_to_json(event.entry)}};
}

ConntrackEvent conntrack_event_from_json(const json& j) {
    ConntrackEvent event;
    event.type = named(j, "event",
                       {ConntrackEvent::Type::created, ConntrackEvent::Type::updated,
                        ConntrackEvent::Type::destroyed},
                       conntrack_event_type_name);
    if (const json* entry = field(j, "entry")) event.entry = conntrack_entry_from_json(*entry);
    return event;
}

}  // namespace pathwhy::record_json
