#include "cli/traced_diagnosis.h"

#include "cli/trace_session.h"
#include "common/error.h"
#include "explain/explainer.h"

namespace pathwhy {

LiveDiagnosis diagnose_traced(const Target& target, LiveSnapshotRequest request,
                              const TraceOptions& options) {
    TraceSessionRequest session;
    session.settings = validate_trace_options(options);
    if (target.kind != Target::Kind::address)
        throw Error("trace packets to '" + target.text + "'",
                    "--probe and --watch take an IPv4 address",
                    "e.g. pathwhy 172.31.151.55 --probe tcp:443");
    session.netns = request.netns;
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
