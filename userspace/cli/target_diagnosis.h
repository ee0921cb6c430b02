// From a parsed Target to a diagnosis of the live system: what the snapshot must include (the
// conntrack table for ports and containers, the container's address for the kernel's route
// answer), which explainer answers, and what makes a target undiagnosable (an unknown or stopped
// container, a port target without Docker), each an Error of one line.
#pragma once

#include "cli/target.h"
#include "explain/diagnosis.h"
#include "model/snapshot.h"
#include "snapshot/live_snapshot.h"

namespace pathwhy {

struct LiveDiagnosis {
    Snapshot snapshot;
    Diagnosis diagnosis;
};

// `request` says where to look (netns, Docker, daemon.json); the target adds what it needs.
LiveDiagnosis diagnose_target(const Target& target, LiveSnapshotRequest request);

}  // namespace pathwhy
