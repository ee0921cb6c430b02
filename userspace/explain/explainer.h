// The explainer: a pure function from what was seen (a Snapshot) to what it means (a Diagnosis).
// It never touches the kernel or Docker, so live diagnosis, reports from recordings and unit
// tests on the seeds' text all share it.
#pragma once

#include "explain/diagnosis.h"
#include "model/snapshot.h"

namespace pathwhy {

Diagnosis explain_destination(const Snapshot& snapshot, Ipv4Address destination);

}  // namespace pathwhy
