#include "explain/incident_tracker.h"

#include <algorithm>

#include "explain/explainer.h"
#include "explain/netfilter_drop.h"

namespace pathwhy {
namespace {

// Enough to cover the peers of a busy prefix and the routes overlapping it, few enough that a
// full evaluation stays in the milliseconds.
constexpr std::size_t kSeenAddresses = 16;
constexpr std::size_t kSeenPerPrefix = 4;
constexpr std::size_t kDestinationsPerPrefix = 8;
constexpr std::size_t kRecentEvents = 4096;
constexpr std::int64_t kEvaluationGapNs = 1'000'000'000;
// Bounds the packets remembered as seen entering a hook and not leaving it.
constexpr std::size_t kUnfinishedKept = 100'000;

// An address inside `prefix` unlikely to be a container or a gateway: Docker hands those out
// from the bottom of a subnet, so take the top (below the broadcast address).
Ipv4Address inner_address(const Ipv4Cidr& prefix) {
    if (prefix.length >= 31) return prefix.first();
    return Ipv4Address{prefix.last().value - 1};
}

bool involves(const ObservedEvent& event, Ipv4Address address) {
    if (event.kind == ObservedEvent::Kind::neighbour) return event.neighbour == address;
    return event.packet.source == address || event.packet.destination == address;
}

std::string incident_key(const Ipv4Cidr& watched, const Finding& finding) {
    std::string key = watched.str() + "|" + finding.kind;
    if (finding.docker_network) key += "|" + finding.docker_network->id;
    if (finding.drop)
        key += "|" + finding.drop->hook + "|" + finding.drop->chain + "|" + finding.drop->reason;
    return key;
}

}  // namespace

IncidentTracker::IncidentTracker(std::vector<Ipv4Cidr> watched, std::chrono::seconds window)
    : watched_(std::move(watched)), window_(window) {
    for (auto& prefix : watched_) prefix = prefix.network();
}

void IncidentTracker::set_views(KernelViews views) { views_ = std::move(views); }

void IncidentTracker::add_lost_events(std::uint64_t count, std::int64_t time_ns) {
    lost_.push_back({time_ns, count});
    evidence_pending_ = true;
}

std::vector<IncidentChange> IncidentTracker::tracer_stopped(std::int64_t time_ns) {
    if (!tracer_stopped_ns_) tracer_stopped_ns_ = time_ns;
    return evaluate(time_ns);
}

bool IncidentTracker::watches(Ipv4Address address) const {
    return std::any_of(watched_.begin(), watched_.end(),
                       [&](const Ipv4Cidr& prefix) { return prefix.contains(address); });
}

void IncidentTracker::observe(const ObservedEvent& event, std::int64_t time_ns) {
    const bool relevant = event.kind == ObservedEvent::Kind::neighbour
                              ? watches(event.neighbour)
                              : watches(event.packet.source) || watches(event.packet.destination);
    if (!relevant) return;
    for (Ipv4Address address : {event.packet.source, event.packet.destination, event.neighbour})
        if (watches(address)) saw_address(address);
    recent_.push_back({time_ns, event});
    if (recent_.size() > kRecentEvents) recent_.pop_front();
    evidence_pending_ = true;
}

void IncidentTracker::saw_address(Ipv4Address address) {
    if (!watches(address)) return;
    if (std::erase(seen_, address) == 0) evidence_pending_ = true;
    seen_.push_front(address);
    if (seen_.size() > kSeenAddresses) seen_.pop_back();
}

std::vector<Ipv4Address> IncidentTracker::destinations(const Ipv4Cidr& watched,
                                                       const Snapshot* snapshot) const {
    std::vector<Ipv4Address> out;
    const auto add = [&](Ipv4Address address) {
        if (out.size() < kDestinationsPerPrefix && watched.contains(address) &&
            std::find(out.begin(), out.end(), address) == out.end())
            out.push_back(address);
    };
    // The host's own addresses in the prefix (a bridge's gateway) are not peers: their traffic
    // is the host talking, not something that can be misrouted to them.
    const auto local = [&](Ipv4Address address) {
        return snapshot && std::any_of(snapshot->kernel.addresses.begin(),
                                       snapshot->kernel.addresses.end(),
                                       [&](const Address& a) { return a.cidr.address == address; });
    };
    std::size_t seen_here = 0;
    for (Ipv4Address address : seen_)
        if (watched.contains(address) && !local(address) && seen_here++ < kSeenPerPrefix)
            add(address);
    if (snapshot)
        for (const Route& route : snapshot->kernel.routes) {
            if (route.table == kTableLocal || route.destination.length == 0 ||
                !route.destination.overlaps(watched))
                continue;
            add(inner_address(route.destination.length > watched.length ? route.destination
                                                                         : watched));
        }
    if (out.empty()) add(watched.length >= 31 ? watched.first()
                                              : Ipv4Address{watched.first().value + 1});
    return out;
}

std::vector<Ipv4Address> IncidentTracker::addresses_of_interest() const {
    std::vector<Ipv4Address> out;
    for (const auto& prefix : watched_)
        for (Ipv4Address address : destinations(prefix, latest()))
            if (std::find(out.begin(), out.end(), address) == out.end()) out.push_back(address);
    return out;
}

Observation IncidentTracker::observation_for(Ipv4Address destination) const {
    Observation observation;
    observation.views = views_;
    for (const auto& loss : lost_) observation.lost_events += loss.count;
    for (const auto& timed : recent_)
        if (involves(timed.event, destination)) observation.events.push_back(timed.event);
    if (recent_.empty()) return observation;
    // Where the events end, on their own clock: every recorded packet event is placed on the
    // wall clock by one offset, so any of them converts.
    const Timed& any = recent_.back();
    const std::int64_t to_monotonic =
        static_cast<std::int64_t>(any.event.timestamp_ns) - any.time_ns;
    const std::int64_t now = evaluated_ns_.value_or(any.time_ns);
    const std::int64_t end = tracer_stopped_ns_ ? std::min(*tracer_stopped_ns_, now) : now;
    observation.events_end_ns =
        static_cast<std::uint64_t>(std::max<std::int64_t>(end + to_monotonic, 0));
    observation.tracer_stopped = tracer_stopped_ns_ && *tracer_stopped_ns_ <= now;
    return observation;
}

void IncidentTracker::remember(const std::vector<UnfinishedPacket>& unfinished) {
    for (const auto& packet : unfinished) {
        const auto key = std::pair{packet.packet_id, packet.entered_ns};
        if (unfinished_.size() >= kUnfinishedKept && !unfinished_.contains(key)) continue;
        unfinished_[key] = packet.cause;  // a later look's judgement replaces an earlier one's
    }
}

std::map<UnfinishedPacket::Cause, std::size_t> IncidentTracker::unfinished_packets() const {
    std::map<UnfinishedPacket::Cause, std::size_t> counts;
    for (const auto& [key, cause] : unfinished_)
        if (cause != UnfinishedPacket::Cause::not_seen_yet) ++counts[cause];
    return counts;
}

std::optional<Finding> IncidentTracker::primary_finding(const Snapshot& snapshot,
                                                        Ipv4Address destination,
                                                        std::string& headline) {
    Diagnosis diagnosis =
        views_.empty() ? explain_destination(snapshot, destination)
                       : explain_destination(snapshot, destination, observation_for(destination));
    if (diagnosis.trace) remember(diagnosis.trace->unfinished);
    headline = diagnosis.headline;
    // The explainer puts the cause first (the route into the bridge) and what follows from it
    // after (the failed ARP, the drops): one incident, not one per symptom.
    for (auto& finding : diagnosis.findings)
        if (finding.severity == Severity::critical) return std::move(finding);
    return std::nullopt;
}

bool IncidentTracker::evaluation_due(std::int64_t now_ns) const {
    return evidence_pending_ && (!evaluated_ns_ || now_ns - *evaluated_ns_ >= kEvaluationGapNs);
}

std::vector<IncidentChange> IncidentTracker::take_snapshot(Snapshot snapshot,
                                                           std::int64_t taken_ns) {
    latest_ = std::move(snapshot);
    while (!recent_.empty() && recent_.front().time_ns < taken_ns) recent_.pop_front();
    return evaluate(taken_ns);
}

std::vector<IncidentChange> IncidentTracker::evaluate(std::int64_t now_ns) {
    if (!latest_) return {};
    const Snapshot& snapshot = *latest_;
    evaluated_ns_ = now_ns;  // where the events the explainer is given end
    while (!recent_.empty() && recent_.front().time_ns < now_ns - window_.count())
        recent_.pop_front();
    while (!lost_.empty() && lost_.front().time_ns < now_ns - window_.count()) lost_.pop_front();
    // Packets seen in the last second are judged again at the next evaluation, when their next
    // event has had time to arrive (netfilter_drop.h): until then the evidence is not complete.
    evidence_pending_ =
        !recent_.empty() &&
        recent_.back().time_ns > now_ns - static_cast<std::int64_t>(kUnfinishedTailNs) &&
        !(tracer_stopped_ns_ && *tracer_stopped_ns_ <= now_ns);

    std::vector<WatchedIncident> found;
    for (const auto& prefix : watched_)
        for (Ipv4Address destination : destinations(prefix, &snapshot)) {
            std::string headline;
            auto finding = primary_finding(snapshot, destination, headline);
            if (!finding) continue;
            const std::string key = incident_key(prefix, *finding);
            if (std::any_of(found.begin(), found.end(),
                            [&](const WatchedIncident& i) { return i.key == key; }))
                continue;
            found.push_back({key, prefix, destination, std::move(*finding), headline, now_ns,
                             std::nullopt});
        }

    std::vector<IncidentChange> changes;
    std::vector<WatchedIncident> still_open;
    for (auto& incident : found) {
        auto open = std::find_if(open_.begin(), open_.end(),
                                 [&](const WatchedIncident& i) { return i.key == incident.key; });
        if (open == open_.end()) {
            changes.push_back({true, incident});
            still_open.push_back(std::move(incident));
            continue;
        }
        open->finding = std::move(incident.finding);
        open->headline = std::move(incident.headline);
        still_open.push_back(std::move(*open));
        open_.erase(open);
    }
    for (auto& closed : open_) {
        closed.closed_ns = now_ns;
        changes.push_back({false, std::move(closed)});
    }
    open_ = std::move(still_open);
    return changes;
}

}  // namespace pathwhy
