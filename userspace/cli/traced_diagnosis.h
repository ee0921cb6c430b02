// `pathwhy ADDRESS --probe ...|--watch N`: the static diagnosis's snapshot (with the namespace's
// firewall rules, to name the rule behind a drop), then the trace session, then one explanation
// of both. A port or a container can be watched too (the flows its stale conntrack entries hold,
// seed 003), not probed; options that do not fit are an Error of one line.
#pragma once

#include "cli/options.h"
#include "cli/target.h"
#include "cli/target_diagnosis.h"
#include "snapshot/live_snapshot.h"

namespace pathwhy {

LiveDiagnosis diagnose_traced(const Target& target, LiveSnapshotRequest request,
                              const TraceOptions& options);

}  // namespace pathwhy
