#include "explain/observation_explainer.h"

#include <fmt/format.h>

#include <algorithm>

#include "explain/kernel_drop.h"
#include "explain/neighbor_unreachable.h"
#include "explain/netfilter_drop.h"
#include "explain/observed_misroute.h"

namespace pathwhy {
namespace {

TraceInfo trace_info(const Observation& observation) {
    TraceInfo info;
    info.mode = observation.mode;
    info.probe = observation.probe;
    info.from = observation.from;
    info.watch_seconds = observation.watch_seconds;
    info.interrupted = observation.interrupted;
    info.outcome = observation.outcome;
    info.outcome_after_ms = observation.outcome_after_ms;
    info.events = observation.events.size();
    info.lost_events = observation.lost_events;
    return info;
}

std::vector<std::string> trace_notes(const Snapshot& snapshot, const Observation& observation,
                                     Ipv4Address destination) {
    std::vector<std::string> notes;
    for (const auto& view : observation.views) {
        if (view.active) continue;
        std::string note = "kernel view missing: " + kernel_view_name(view.view);
        if (!view.reason.empty()) note += " (" + view.reason + ")";
        if (!view.loss.empty()) note += "; " + view.loss;
        notes.push_back(std::move(note));
    }
    if (auto unseen = unseen_hooks_note(observation.views, snapshot.ruleset))
        notes.push_back(std::move(*unseen));
    if (observation.lost_events)
        notes.push_back(
            fmt::format("{} events were lost (the ring buffer was full): the path "
                        "below may have gaps",
                        observation.lost_events));
    if (observation.events.empty())
        notes.push_back(
            fmt::format("the tracer saw no packet to or from {}{}", destination.str(),
                        observation.mode == Observation::Mode::watch ? " while watching" : ""));
    return notes;
}

// Observed findings go after the route's (the cause) and before leaked networks (warnings).
void insert_findings(Diagnosis& diagnosis, std::vector<Finding> findings) {
    auto at = std::find_if(diagnosis.findings.begin(), diagnosis.findings.end(),
                           [](const Finding& f) { return f.kind == "leaked-docker-network"; });
    diagnosis.findings.insert(at, std::make_move_iterator(findings.begin()),
                              std::make_move_iterator(findings.end()));
}

}  // namespace

void explain_observation(const Snapshot& snapshot, Ipv4Address destination,
                         const Observation& observation, Diagnosis& diagnosis) {
    diagnosis.trace = trace_info(observation);
    diagnosis.views = observation.views;
    diagnosis.observed = build_observed_path(observation.events, snapshot.kernel);
    for (auto& note : trace_notes(snapshot, observation, destination))
        diagnosis.notes.push_back(std::move(note));

    if (auto misroute = find_observed_misroute(snapshot, destination, diagnosis.observed))
        merge_observed_misroute(snapshot, destination, *misroute, diagnosis);

    NetfilterDrops drops = netfilter_drops(snapshot, diagnosis.observed, observation);
    if (auto note = unfinished_summary(count_by_cause(drops.unfinished)))
        diagnosis.notes.push_back(std::move(*note));
    diagnosis.trace->unfinished = std::move(drops.unfinished);
    std::vector<Finding> observed = std::move(drops.findings);
    if (auto neighbour = neighbor_unreachable_finding(snapshot, diagnosis.observed, destination))
        observed.push_back(std::move(*neighbour));
    for (auto& finding : kernel_drop_findings(diagnosis.observed))
        observed.push_back(std::move(finding));

    const auto critical = std::find_if(observed.begin(), observed.end(), [](const Finding& f) {
        return f.severity == Severity::critical;
    });
    if (diagnosis.verdict == Verdict::ok && critical != observed.end()) {
        diagnosis.verdict = Verdict::dropped;
        diagnosis.headline = critical->summary;
    }
    insert_findings(diagnosis, std::move(observed));
}

}  // namespace pathwhy
