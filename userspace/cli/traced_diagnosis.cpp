#include "cli/traced_diagnosis.h"

#include <algorithm>

#include "cli/trace_session.h"
#include "common/error.h"
#include "explain/explainer.h"
#include "explain/observation_explainer.h"

namespace pathwhy {
namespace {

void add_once(std::vector<Ipv4Address>& addresses, Ipv4Address address) {
    if (std::find(addresses.begin(), addresses.end(), address) == addresses.end())
        addresses.push_back(address);
}

// A port or a container is watched through the flows its stale conntrack entries hold (seed
// 003): their senders, and where the entries send them. The packets then show live what the
// entries do — conntrack ESTABLISHED, and no DNAT or a DNAT to the old address. Without stale
// entries, the container's own address.
LiveDiagnosis diagnose_watched_target(const Target& target, LiveSnapshotRequest request,
                                      TraceSessionRequest session) {
    request.read_ruleset = true;
    LiveDiagnosis live = diagnose_target(target, std::move(request));
    session.destination = live.diagnosis.destination;
    for (const Finding& finding : live.diagnosis.findings) {
        if (!finding.conntrack) continue;
        session.destination = finding.conntrack->stale_address;
        for (const StaleEntryRef& stale : finding.conntrack->entries)
            add_once(session.also_watched, stale.entry.original.source);
        break;  // the first (most severe) stale finding: one place the flows go
    }
    if (session.destination == Ipv4Address{})
        throw Error("trace packets for '" + target.text + "'",
                    "nothing publishes it, so there is no address to watch",
                    "start the container that publishes it, or watch an address");
    const Observation observation = run_trace_session(session);
    // Explained for the port's container, not for the stale address: that one is where the
    // entries misdirect the flow (stale-conntrack says so), not a destination that misroutes.
    explain_observation(live.snapshot, live.diagnosis.destination, observation, live.diagnosis);
    return live;
}

}  // namespace

LiveDiagnosis diagnose_traced(const Target& target, LiveSnapshotRequest request,
                              const TraceOptions& options) {
    TraceSessionRequest session;
    session.settings = validate_trace_options(options);
    session.netns = request.netns;
    if (target.kind != Target::Kind::address) {
        if (session.settings.probe)
            throw Error("trace packets to '" + target.text + "'",
                        "--probe takes an IPv4 address; a port or a container can be watched",
                        "e.g. pathwhy 172.31.151.55 --probe tcp:443, or pathwhy " + target.text +
                            " --watch 10");
        return diagnose_watched_target(target, std::move(request), std::move(session));
    }
    session.destination = target.address;
    if (!session.settings.container.empty())
        session.container = container_namespace(request.docker, session.settings.container);

    request.destinations = {target.address};
    request.read_ruleset = true;
    LiveDiagnosis live;
    live.snapshot = take_live_snapshot(request);
    const Observation observation = run_trace_session(session);
    live.diagnosis = explain_destination(live.snapshot, target.address, observation);
    live.diagnosis.target = target.text;
    return live;
}

}  // namespace pathwhy
