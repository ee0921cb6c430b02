// Incidents on watched prefixes, followed over time. `pathwhy record` feeds it live and
// `pathwhy report` replays a recording through it, so the alert raised while recording and the
// report written afterwards tell the same story — and both come from explain_destination(),
// the explainer of live diagnosis. Pure: snapshots and events in, incidents out.
//
// A watched prefix is a range, the explainer answers for one address: each prefix is asked about
// through the addresses in it that traffic was seen from or to, and, because a Docker subnet may
// cover only part of the prefix, one address inside each route that overlaps it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "explain/diagnosis.h"
#include "model/kernel_views.h"
#include "model/observed_event.h"
#include "model/snapshot.h"

namespace pathwhy {

struct WatchedIncident {
    std::string key;  // the same incident across evaluations: prefix, finding kind, network, drop
    Ipv4Cidr watched;
    Ipv4Address destination;  // the address whose diagnosis showed it first
    Finding finding;          // the latest while open: packets may add a direction, evidence
    std::string headline;     // that diagnosis's one-line answer
    std::int64_t opened_ns = 0;
    std::optional<std::int64_t> closed_ns;
};

struct IncidentChange {
    bool opened = true;  // false: the finding no longer holds
    WatchedIncident incident;
};

class IncidentTracker {
  public:
    // Packet events older than `window` no longer count: a drop seen a minute ago is not a drop
    // happening now.
    explicit IncidentTracker(std::vector<Ipv4Cidr> watched,
                             std::chrono::seconds window = std::chrono::seconds(30));

    // The packet tracer's views; none (the default) means no tracer, and the explainer is then
    // asked without an observation rather than told that every view is missing.
    void set_views(KernelViews views);
    // Events the kernel could not queue, noticed at `time_ns`: while they are within the window,
    // a packet seen entering a hook and not leaving it is no drop (its exit may be among them).
    void add_lost_events(std::uint64_t count, std::int64_t time_ns);
    // The packet tracer stopped at `time_ns` (the recording's end, or the tracer failed): what it
    // saw last is judged now, knowing that nothing follows. Returns the evaluation's changes.
    std::vector<IncidentChange> tracer_stopped(std::int64_t time_ns);

    bool watches(Ipv4Address address) const;
    // Packet evidence involving a watched address; other events are ignored.
    void observe(const ObservedEvent& event, std::int64_t time_ns);
    // An address in a watched prefix seen in traffic (a conntrack flow, an event): asked about
    // before any other address of its prefix.
    void saw_address(Ipv4Address address);

    // A new snapshot of the state, taken at `taken_ns`. Packet evidence from before it is
    // dropped — the change that called for the snapshot may have broken or healed the path, and
    // a failed ARP on a bridge that is gone says nothing any more — then it is evaluated.
    std::vector<IncidentChange> take_snapshot(Snapshot snapshot, std::int64_t taken_ns);
    // Explains the latest snapshot (with the evidence since) for every watched prefix; returns
    // the incidents that opened or closed since the last evaluation, in that order.
    std::vector<IncidentChange> evaluate(std::int64_t now_ns);
    // Whether new evidence (packet events, a newly seen address) arrived since the last
    // evaluation and that was at least a second ago: the pace at which the recorder, and the
    // report replaying it, re-evaluate between snapshots.
    bool evaluation_due(std::int64_t now_ns) const;

    // The addresses the next evaluation will ask about: worth asking the kernel about too.
    std::vector<Ipv4Address> addresses_of_interest() const;

    // Packets seen entering a netfilter hook and not leaving it, with no drop for them, that
    // were therefore not counted as drops — by why, as last judged (those still to be judged are
    // left out).
    std::map<UnfinishedPacket::Cause, std::size_t> unfinished_packets() const;

    const Snapshot* latest() const { return latest_ ? &*latest_ : nullptr; }
    const std::vector<WatchedIncident>& open_incidents() const { return open_; }
    const std::vector<Ipv4Cidr>& watched() const { return watched_; }

  private:
    struct Timed {
        std::int64_t time_ns;
        ObservedEvent event;
    };
    struct Loss {
        std::int64_t time_ns;
        std::uint64_t count;
    };

    std::vector<Ipv4Address> destinations(const Ipv4Cidr& watched, const Snapshot* snapshot) const;
    // What the explainer is told about `destination`: the recent events involving it, the views,
    // the losses within the window, and where the events end.
    Observation observation_for(Ipv4Address destination) const;
    void remember(const std::vector<UnfinishedPacket>& unfinished);
    // The diagnosis's first critical finding: the incident's cause.
    std::optional<Finding> primary_finding(const Snapshot& snapshot, Ipv4Address destination,
                                           std::string& headline);

    std::vector<Ipv4Cidr> watched_;
    std::chrono::nanoseconds window_;
    KernelViews views_;
    std::deque<Loss> lost_;
    std::optional<std::int64_t> tracer_stopped_ns_;
    std::map<std::pair<std::uint64_t, std::uint64_t>, UnfinishedPacket::Cause> unfinished_;
    std::deque<Timed> recent_;
    std::deque<Ipv4Address> seen_;  // most recent first
    std::vector<WatchedIncident> open_;
    std::optional<Snapshot> latest_;
    bool evidence_pending_ = false;
    std::optional<std::int64_t> evaluated_ns_;
};

}  // namespace pathwhy
