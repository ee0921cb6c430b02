// The replay: records go through an IncidentTracker exactly as `record` fed it live, so the
// incidents are the explainer's; alongside, the facts a timeline needs are kept — packets the
// tracer classified, conntrack flows, Docker network events, route changes — and tied to each
// incident once the whole recording is read. Facts are bounded (kMaxFacts): beyond that, counts
// are reported as lower bounds.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>

#include "common/error.h"
#include "explain/netfilter_drop.h"
#include "explain/observed_misroute.h"
#include "explain/packet_path.h"
#include "explain/route_into_bridge.h"
#include "record/time_text.h"
#include "report/incident_report.h"

namespace pathwhy {
namespace {

constexpr std::size_t kMaxFacts = 200'000;
constexpr std::size_t kSampleFlows = 5;
constexpr std::int64_t kSecond = 1'000'000'000;
// A network or route counts as the incident's cause only if it appeared this long before the
// explainer saw the incident; detection normally follows within a second.
constexpr std::int64_t kCauseLookback = 10 * 60 * kSecond;

enum class PacketVerdict { healthy, into_bridge, dropped, icmp_error };

struct PacketFact {
    std::int64_t time_ns = 0;
    PacketVerdict verdict = PacketVerdict::healthy;
    int bridge_ifindex = 0;
    std::string bridge;  // into_bridge: its name when the packet was seen
    FlowTuple flow;
    std::uint64_t packet_id = 0;
    std::string detail;  // drop reason, ICMP type
};

struct FlowFact {
    FlowTuple original;
    std::int64_t created_ns = 0;
    std::optional<std::int64_t> established_ns;
    std::uint8_t tcp_state = 0;
};

// A flow's two directions as one: endpoints in a fixed order.
using FlowKey = std::tuple<std::uint32_t, std::uint16_t, std::uint32_t, std::uint16_t, std::uint8_t>;

FlowKey flow_key(const FlowTuple& flow) {
    auto a = std::pair(flow.source.value, flow.source_port);
    auto b = std::pair(flow.destination.value, flow.destination_port);
    if (b < a) std::swap(a, b);
    return {a.first, a.second, b.first, b.second, flow.protocol};
}

std::string icmp_text(std::uint8_t type, std::uint8_t code) {
    if (type == 3) {
        static constexpr const char* kUnreachable[] = {"net unreachable", "host unreachable",
                                                       "protocol unreachable", "port unreachable",
                                                       "fragmentation needed"};
        return code < std::size(kUnreachable) ? kUnreachable[code]
                                              : fmt::format("destination unreachable (code {})", code);
    }
    if (type == 11) return "time exceeded";
    return fmt::format("type {} code {}", type, code);
}

std::string remark_range(const std::optional<std::int64_t>& from,
                         const std::optional<std::int64_t>& to) {
    if (from && to) return "between " + clock_time(*from) + " and " + clock_time(*to);
    if (from) return "after " + clock_time(*from);
    if (to) return "before " + clock_time(*to);
    return "of unknown time";
}


struct TrackedIncident {
    WatchedIncident incident;
    std::vector<Link> links;  // the namespace's interfaces when it opened, for names
};

// What a timeline is made of, gathered while the records are replayed.
struct Facts {
    std::vector<Ipv4Cidr> watched;
    std::vector<PacketFact> packets;
    std::map<std::uint32_t, FlowFact> flows;  // by conntrack id
    std::vector<std::pair<std::int64_t, DockerEvent>> network_events;
    std::vector<std::pair<std::int64_t, KernelChange>> route_changes;
    // Every address the host had in any snapshot: traffic from or to them (a bridge's gateway
    // sending IGMP) is the host's own, not a peer's.
    std::set<std::uint32_t> local_addresses;
    bool tracer = false;
    bool truncated = false;

    bool peer(Ipv4Address address) const {
        return std::any_of(watched.begin(), watched.end(),
                           [&](const Ipv4Cidr& prefix) { return prefix.contains(address); }) &&
               !local_addresses.contains(address.value);
    }
    bool involves_peer(const FlowTuple& flow, const Ipv4Cidr& prefix) const {
        return (prefix.contains(flow.source) && peer(flow.source)) ||
               (prefix.contains(flow.destination) && peer(flow.destination));
    }
    bool room() {
        if (packets.size() + flows.size() < kMaxFacts) return true;
        truncated = true;
        return false;
    }
};

}  // namespace

struct IncidentReportBuilder::State {
    IncidentReport report;
    std::optional<IncidentTracker> tracker;
    Facts facts;
    std::vector<TrackedIncident> incidents;
    std::uint64_t lost = 0, dropped = 0;
    bool tracer_stopped = false;

    void add(const Record& record);
    void track(const std::vector<IncidentChange>& changes);
    void classify(const ObservedEvent& event, std::int64_t time_ns);
    void flow_event(const ConntrackEvent& event, std::int64_t time_ns);
    void session(const SessionInfo& info);
    void note(const RecordingNote& note, std::int64_t time_ns);
};

void IncidentReportBuilder::State::session(const SessionInfo& info) {
    if (report.session) return;  // a rotated file's repeat of the session
    report.session = info;
    tracker.emplace(info.watched);
    tracker->set_views(info.views);
    facts.watched = info.watched;
    facts.tracer = !info.views.empty();
    for (const auto& source : info.sources)
        if (!source.active)
            report.remarks.push_back({info.started_unix_ns,
                                      source.name + " were not recorded: " + source.detail});
    for (const auto& view : info.views)
        if (!view.active)
            report.remarks.push_back(
                {info.started_unix_ns,
                 "packet view missing: " + kernel_view_name(view.view) +
                     (view.reason.empty() ? "" : " (" + view.reason + ")") +
                     (view.loss.empty() ? "" : "; " + view.loss)});
}

void IncidentReportBuilder::State::note(const RecordingNote& note, std::int64_t time_ns) {
    if (note.kind == "lost-events") {
        lost += note.count;
        if (tracker) tracker->add_lost_events(note.count, time_ns);
        return;
    }
    // Recordings before the tracer said when it stopped end with "stopped", after it.
    if (note.kind == "tracer-stopped" || note.kind == "stopped") {
        if (tracker && !tracer_stopped) track(tracker->tracer_stopped(time_ns));
        tracer_stopped = true;
        if (note.kind == "tracer-stopped") return;
    }
    if (note.kind == "recorder-dropped") {
        dropped += note.count;
        return;
    }
    report.remarks.push_back({time_ns, note.text});
}

void IncidentReportBuilder::State::track(const std::vector<IncidentChange>& changes) {
    for (const auto& change : changes) {
        if (change.opened) {
            incidents.push_back({change.incident, tracker->latest()->kernel.links});
            continue;
        }
        for (auto& tracked : incidents)
            if (tracked.incident.key == change.incident.key && !tracked.incident.closed_ns)
                tracked.incident = change.incident;
    }
}

void IncidentReportBuilder::State::classify(const ObservedEvent& event, std::int64_t time_ns) {
    if (!tracker || !facts.room()) return;
    PacketFact fact{time_ns, PacketVerdict::healthy, 0, "", event.packet, event.packet_id, ""};
    switch (event.kind) {
        case ObservedEvent::Kind::route_lookup: {
            // Lookups towards a peer, for a packet with a source: the path its traffic takes.
            // Lookups for packets arriving from it say nothing about whether answers get back.
            if (event.lookup_error || event.packet.source.value == 0 ||
                !facts.peer(event.packet.destination))
                return;
            if (const Snapshot* latest = tracker->latest()) {
                if (auto owner = misrouted_lookup(*latest, event)) {  // the explainer's test
                    fact.verdict = PacketVerdict::into_bridge;
                    fact.bridge_ifindex = event.nexthop_ifindex;
                    fact.bridge = owner->bridge;
                }
            }
            break;
        }
        case ObservedEvent::Kind::drop:
            if (!facts.peer(event.packet.source) && !facts.peer(event.packet.destination)) return;
            fact.verdict = PacketVerdict::dropped;
            fact.detail = event.drop_reason_name.empty() ? "dropped" : event.drop_reason_name;
            break;
        case ObservedEvent::Kind::icmp_error:
            if (!facts.peer(event.packet.source) && !facts.peer(event.packet.destination)) return;
            fact.verdict = PacketVerdict::icmp_error;
            fact.detail = icmp_text(event.icmp_type, event.icmp_code);
            break;
        default:
            return;
    }
    facts.packets.push_back(std::move(fact));
}

void IncidentReportBuilder::State::flow_event(const ConntrackEvent& event, std::int64_t time_ns) {
    const ConntrackEntry& entry = event.entry;
    auto it = facts.flows.find(entry.id);
    if (it == facts.flows.end()) {
        if (!facts.room()) return;
        it = facts.flows.emplace(entry.id, FlowFact{entry.original, time_ns, std::nullopt, 0}).first;
    }
    FlowFact& flow = it->second;
    flow.tcp_state = entry.tcp_state;
    if (!flow.established_ns && event.established()) flow.established_ns = time_ns;
}

void IncidentReportBuilder::State::add(const Record& record) {
    const std::int64_t t = record.time_unix_ns;
    if (!report.first_ns || t < *report.first_ns) report.first_ns = t;
    if (!report.last_ns || t > *report.last_ns) report.last_ns = t;
    if (const auto* info = std::get_if<SessionInfo>(&record.body)) {
        session(*info);
        return;
    }
    if (const auto* snapshot = std::get_if<Snapshot>(&record.body)) {
        ++report.snapshots;
        for (const auto& address : snapshot->kernel.addresses)
            if (facts.local_addresses.size() < kMaxFacts) facts.local_addresses.insert(address.cidr.address.value);
        if (tracker) track(tracker->take_snapshot(*snapshot, t));
        return;
    }
    if (const auto* mark = std::get_if<IncidentMark>(&record.body)) {
        report.alerts.push_back(*mark);
        return;
    }
    if (const auto* recording_note = std::get_if<RecordingNote>(&record.body)) {
        note(*recording_note, t);
        return;
    }
    ++report.events;
    if (const auto* observed = std::get_if<ObservedEvent>(&record.body)) {
        classify(*observed, t);
        if (tracker) tracker->observe(*observed, t);
    } else if (const auto* flow = std::get_if<ConntrackEvent>(&record.body)) {
        flow_event(*flow, t);
        if (tracker)
            for (const FlowTuple* tuple : {&flow->entry.original, &flow->entry.reply}) {
                tracker->saw_address(tuple->source);
                tracker->saw_address(tuple->destination);
            }
    } else if (const auto* docker = std::get_if<DockerEvent>(&record.body)) {
        if (docker->type == "network") facts.network_events.emplace_back(t, *docker);
    } else if (const auto* change = std::get_if<KernelChange>(&record.body)) {
        if (std::holds_alternative<Route>(change->object)) facts.route_changes.emplace_back(t, *change);
    }
    if (tracker && tracker->evaluation_due(t)) track(tracker->evaluate(t));
}

namespace {

// Everything one incident's section is made of, worked out in steps that each add their entries.
class SectionWriter {
  public:
    // `last_ns`: the recording's last record, where an incident still open ends.
    SectionWriter(const Facts& facts, const TrackedIncident& tracked, std::int64_t last_ns)
        : facts_(facts), incident_(tracked.incident), finding_(incident_.finding) {
        section_.incident = tracked.incident;
        names_.links = tracked.links;
        end_ = incident_.closed_ns.value_or(last_ns);
        cause_ = incident_.opened_ns;
        if (finding_.docker_network) {
            const Link* bridge = names_.link_by_name(finding_.docker_network->bridge);
            bridge_ifindex_ = bridge ? bridge->ifindex : 0;
        }
    }

    IncidentSection write() {
        cause();
        bad_packets();
        failed_flows();
        healthy_traffic();
        add(incident_.opened_ns, "incident-opened",
            "pathwhy finds " + finding_.kind + ": " + finding_.summary, "bad");
        recovery();
        std::stable_sort(section_.timeline.begin(), section_.timeline.end(),
                         [](const TimelineEntry& a, const TimelineEntry& b) {
                             return a.time_ns < b.time_ns;
                         });
        IncidentImpact& impact = section_.impact;
        impact.flows = affected_.size();
        if (facts_.tracer) impact.packets = bad_packet_ids_.size() + unnamed_packets_;
        impact.basis = traced_flows_ && failed_flows_ ? "packet tracer and conntrack"
                       : traced_flows_                ? "packet tracer"
                       : failed_flows_ ? "conntrack: connections that never completed"
                                       : "";
        impact.truncated = facts_.truncated;
        impact.duration_ns = end_ - cause_;
        impact.ongoing = !incident_.closed_ns;
        return std::move(section_);
    }

  private:
    void add(std::int64_t time, std::string kind, std::string text, std::string tone) {
        section_.timeline.push_back({time, std::move(kind), std::move(text), std::move(tone)});
    }

    bool in_window(std::int64_t time) const { return time >= cause_ && time <= end_; }

    void affected(const FlowTuple& flow) {
        if (affected_.insert(flow_key(flow)).second &&
            section_.impact.sample_flows.size() < kSampleFlows)
            section_.impact.sample_flows.push_back(describe_flow(flow));
    }

    // A route of the incident's bridge: its subnet's, in a routing table (not the local table's
    // entry for the bridge's own address).
    bool bridge_route(const Route& route) const {
        return route.table != kTableLocal && route.type == RouteType::unicast &&
               route.destination.overlaps(incident_.watched) &&
               ((bridge_ifindex_ && route.oif == bridge_ifindex_) ||
                (finding_.docker_network &&
                 route.destination.str() == finding_.docker_network->subnet));
    }

    // The Docker network and its route, shortly before the explainer saw the incident; and the
    // same project's networks before it, each of which moved Docker's pool cursor on.
    void cause() {
        const DockerEvent* created = nullptr;
        std::int64_t created_ns = 0;
        const std::string id = finding_.docker_network ? finding_.docker_network->id : "";
        for (const auto& [time, event] : facts_.network_events)
            if (!id.empty() && event.action == "create" && event.actor_id == id &&
                time <= incident_.opened_ns && time >= incident_.opened_ns - kCauseLookback) {
                created = &event;
                created_ns = time;
            }
        if (created) {
            cause_ = std::min(cause_, created_ns);
            network_created(*created, created_ns);
        }
        for (const auto& [time, change] : facts_.route_changes) {
            const Route& route = std::get<Route>(change.object);
            if (change.action != KernelChange::Action::updated || !bridge_route(route) ||
                time > incident_.opened_ns || time < incident_.opened_ns - kCauseLookback)
                continue;
            cause_ = std::min(cause_, time);
            add(time, "route-added", "route added: " + describe_route(names_, route), "cause");
            break;
        }
    }

    void network_created(const DockerEvent& created, std::int64_t created_ns) {
        const NetworkRef& network = *finding_.docker_network;
        const std::string& project = network.compose_project;
        add(created_ns, "docker-network-created",
            fmt::format("Docker network {} created{}, subnet {}, bridge {}", created.actor_name(),
                        project.empty() ? "" : " by compose project " + project, network.subnet,
                        network.bridge),
            "cause");
        std::vector<std::string> earlier;
        std::int64_t first = 0;
        for (const auto& [time, event] : facts_.network_events) {
            if (time >= created_ns || event.action != "create" || !event.network) continue;
            if (event.actor_name() != created.actor_name() &&
                (project.empty() || event.network->compose_project() != project))
                continue;
            if (earlier.empty()) first = time;
            for (const auto& ipam : event.network->ipam)
                if (ipam.subnet) earlier.push_back(ipam.subnet->str());
        }
        if (earlier.empty()) return;
        add(first, "earlier-networks",
            fmt::format("{} earlier {} network{} came and went ({}): each got the next subnet "
                        "from Docker's pools",
                        earlier.size(), project.empty() ? created.actor_name() : project,
                        earlier.size() == 1 ? "" : "s",
                        earlier.size() <= 6 ? fmt::format("{}", fmt::join(earlier, ", "))
                                            : earlier.front() + " … " + earlier.back()),
            "info");
    }

    // What the packet tracer saw go wrong from the cause on.
    void bad_packets() {
        const PacketFact* first_misrouted = nullptr;
        const PacketFact* first_dropped = nullptr;
        const PacketFact* first_icmp = nullptr;
        for (const auto& p : facts_.packets) {
            if (!in_window(p.time_ns) || !facts_.involves_peer(p.flow, incident_.watched)) continue;
            if (p.verdict == PacketVerdict::icmp_error) {
                ++section_.impact.icmp_errors;
                if (!first_icmp) first_icmp = &p;
                continue;
            }
            const bool misrouted = p.verdict == PacketVerdict::into_bridge &&
                                   (bridge_ifindex_ == 0 || p.bridge_ifindex == bridge_ifindex_);
            if (!misrouted && p.verdict != PacketVerdict::dropped) continue;
            if (misrouted && !first_misrouted) first_misrouted = &p;
            if (!misrouted && !first_dropped) first_dropped = &p;
            ++traced_flows_;
            affected(p.flow);
            if (p.packet_id)
                bad_packet_ids_.insert(p.packet_id);
            else
                ++unnamed_packets_;
        }
        if (first_misrouted)
            add(first_misrouted->time_ns, "first-misrouted-packet",
                fmt::format("first misrouted packet: {} was routed into {}",
                            describe_flow(first_misrouted->flow), first_misrouted->bridge),
                "bad");
        if (first_dropped)
            add(first_dropped->time_ns, "first-dropped-packet",
                fmt::format("first dropped packet: {} ({})", describe_flow(first_dropped->flow),
                            first_dropped->detail),
                "bad");
        if (first_icmp)
            add(first_icmp->time_ns, "icmp-error",
                fmt::format("first ICMP error sent: {} for {}{}", first_icmp->detail,
                            describe_flow(first_icmp->flow),
                            section_.impact.icmp_errors > 1
                                ? fmt::format(" ({} in all)", section_.impact.icmp_errors)
                                : ""),
                "bad");
        if (first_misrouted || first_dropped)
            first_bad_ = std::min(first_misrouted ? first_misrouted->time_ns : end_,
                                  first_dropped ? first_dropped->time_ns : end_);
    }

    // Conntrack's view: connections that started after the cause and never completed.
    void failed_flows() {
        const FlowFact* first = nullptr;
        for (const auto& [id, flow] : facts_.flows) {
            if (!in_window(flow.created_ns) || flow.established_ns ||
                !facts_.involves_peer(flow.original, incident_.watched))
                continue;
            ++failed_flows_;
            if (!first || flow.created_ns < first->created_ns) first = &flow;
            affected(flow.original);
        }
        if (!first) return;
        add(first->created_ns, "first-failed-connection",
            fmt::format("first connection that never completed: {} (conntrack: {}, no answer got "
                        "through)",
                        describe_flow(first->original), tcp_conntrack_state_name(first->tcp_state)),
            "bad");
        first_bad_ = std::min(first_bad_.value_or(first->created_ns), first->created_ns);
    }

    // The last traffic that got through before it went wrong, and the first after recovery.
    void healthy_traffic() {
        const std::int64_t trouble = std::min(incident_.opened_ns, first_bad_.value_or(end_));
        std::optional<std::pair<std::int64_t, std::string>> before, after;
        const auto consider = [&](std::int64_t time, std::string text) {
            if (time < trouble && (!before || time > before->first)) before = {time, text};
            if (incident_.closed_ns && time > *incident_.closed_ns && (!after || time < after->first))
                after = {time, std::move(text)};
        };
        for (const auto& p : facts_.packets)
            if (p.verdict == PacketVerdict::healthy &&
                facts_.involves_peer(p.flow, incident_.watched))
                consider(p.time_ns, describe_flow(p.flow) + " (routed past the Docker bridges)");
        for (const auto& [id, flow] : facts_.flows)
            if (flow.established_ns && facts_.involves_peer(flow.original, incident_.watched))
                consider(*flow.established_ns,
                         describe_flow(flow.original) + " (conntrack: ESTABLISHED)");
        if (before) add(before->first, "last-healthy-traffic", "last healthy traffic: " + before->second, "ok");
        if (after) add(after->first, "healthy-again", "traffic gets through again: " + after->second, "ok");
    }

    void recovery() {
        if (!incident_.closed_ns) {
            add(end_, "recording-ended", "the recording ends with the incident still open", "bad");
            return;
        }
        const std::string id = finding_.docker_network ? finding_.docker_network->id : "";
        for (const auto& [time, event] : facts_.network_events)
            if (!id.empty() && event.action == "destroy" && event.actor_id == id &&
                time >= incident_.opened_ns) {
                add(time, "docker-network-removed", "Docker network " + event.actor_name() + " removed",
                    "ok");
                break;
            }
        for (const auto& [time, change] : facts_.route_changes) {
            const Route& route = std::get<Route>(change.object);
            if (change.action == KernelChange::Action::removed && time >= incident_.opened_ns &&
                bridge_route(route)) {
                add(time, "route-removed", "route removed: " + describe_route(names_, route), "ok");
                break;
            }
        }
        add(*incident_.closed_ns, "incident-resolved",
            "pathwhy no longer finds " + finding_.kind + " for " + incident_.watched.str(), "ok");
    }

    const Facts& facts_;
    const WatchedIncident& incident_;
    const Finding& finding_;
    IncidentSection section_;
    KernelState names_;  // the interfaces when it opened, to name devices in routes
    int bridge_ifindex_ = 0;
    std::int64_t cause_ = 0;
    std::int64_t end_ = 0;
    std::optional<std::int64_t> first_bad_;
    std::set<FlowKey> affected_;
    std::set<std::uint64_t> bad_packet_ids_;
    std::uint64_t unnamed_packets_ = 0;
    std::size_t traced_flows_ = 0;
    std::size_t failed_flows_ = 0;
};

}  // namespace

IncidentReportBuilder::IncidentReportBuilder() : state_(std::make_unique<State>()) {}
IncidentReportBuilder::~IncidentReportBuilder() = default;
IncidentReportBuilder::IncidentReportBuilder(IncidentReportBuilder&&) noexcept = default;
IncidentReportBuilder& IncidentReportBuilder::operator=(IncidentReportBuilder&&) noexcept = default;

void IncidentReportBuilder::add(const Record& record) { state_->add(record); }

void IncidentReportBuilder::add_file(const RecordingReadSummary& summary) {
    IncidentReport& report = state_->report;
    report.files.push_back(summary.source);
    for (const auto& range : summary.damage) {
        report.complete = false;
        report.cut_off = report.cut_off || range.at_end;
        const std::string bytes =
            fmt::format("bytes {}–{} of {}", range.offset, range.offset + range.length, summary.source);
        report.damage.push_back(
            {range.last_good_before_ns,
             range.at_end ? fmt::format("{} cut off {} ({}): the rest was never written or is lost",
                                        summary.source,
                                        range.last_good_before_ns
                                            ? "after " + clock_time(*range.last_good_before_ns)
                                            : "at its start",
                                        range.reason)
                          : fmt::format("{} unreadable ({}): records {} are missing", bytes,
                                        range.reason,
                                        remark_range(range.last_good_before_ns,
                                                     range.first_good_after_ns))});
    }
    if (summary.bad_records) {
        report.complete = false;
        report.damage.push_back(
            {std::nullopt,
             fmt::format("{} record{} in {} could not be read{}", summary.bad_records,
                         summary.bad_records == 1 ? "" : "s", summary.source,
                         summary.bad_record_reasons.empty() ? ""
                                                            : " (" + summary.bad_record_reasons[0] + ")")});
    }
}

IncidentReport IncidentReportBuilder::finish() {
    State& s = *state_;
    if (!s.report.session)
        throw Error("report on the recording",
                    "its session record is damaged or missing: what was watched is unknown",
                    "a rotated file (FILE.1 ...) may still hold it: pass it too");
    // Incidents still open: the tracker holds their latest finding.
    for (auto& tracked : s.incidents)
        for (const auto& open : s.tracker->open_incidents())
            if (!tracked.incident.closed_ns && open.key == tracked.incident.key)
                tracked.incident.finding = open.finding;
    for (const auto& tracked : s.incidents)
        s.report.incidents.push_back(
            SectionWriter(s.facts, tracked, s.report.last_ns.value_or(tracked.incident.opened_ns))
                .write());
    if (s.lost)
        s.report.remarks.push_back({std::nullopt, fmt::format("the kernel could not queue {} packet "
                                                              "events (ring buffer full): counts are "
                                                              "lower bounds",
                                                              s.lost)});
    s.report.lost_events = s.lost;
    if (s.tracker) s.report.unfinished_packets = s.tracker->unfinished_packets();
    if (auto remark = unfinished_summary(s.report.unfinished_packets))
        s.report.remarks.push_back({std::nullopt, std::move(*remark)});
    if (s.dropped)
        s.report.remarks.push_back({std::nullopt, fmt::format("the recorder dropped {} events it "
                                                              "could not keep up with",
                                                              s.dropped)});
    if (s.facts.truncated)
        s.report.remarks.push_back({std::nullopt, fmt::format("more than {} packets and flows: the "
                                                              "report kept the first ones, and its "
                                                              "counts are lower bounds",
                                                              kMaxFacts)});
    return std::move(s.report);
}

IncidentReport build_incident_report(const std::vector<std::string>& files) {
    IncidentReportBuilder builder;
    for (const auto& file : files) {
        auto summary = read_recording_file(file, [&](Record&& record) { builder.add(record); });
        builder.add_file(summary);
    }
    return builder.finish();
}

}  // namespace pathwhy
