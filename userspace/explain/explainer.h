// The explainer: a pure function from what was seen (a Snapshot) to what it means (a Diagnosis).
// It never touches the kernel or Docker, so live diagnosis, reports from recordings and unit
// tests on the seeds' text all share it.
#pragma once

#include "explain/diagnosis.h"
#include "model/observation.h"
#include "model/snapshot.h"

namespace pathwhy {

// From the snapshot alone: routes, rules, Docker's networks.
Diagnosis explain_destination(const Snapshot& snapshot, Ipv4Address destination);

// The same, then merged with what the packet tracer saw (--probe, --watch, a recording): the
// kernel path, the direction of a misroute, drops with their hook, rule or reason.
Diagnosis explain_destination(const Snapshot& snapshot, Ipv4Address destination,
                              const Observation& observed);

}  // namespace pathwhy
