// Merges what the packet tracer saw into a diagnosis the static explainer has made: the packet
// path, the views (a missing one becomes a note), route-into-docker-bridge's direction, and the
// findings only packets can show — netfilter-drop, neighbor-unreachable, kernel-drop — placed
// after the route findings and before the leaked-network warnings. Pure.
#pragma once

#include "explain/diagnosis.h"
#include "model/observation.h"
#include "model/snapshot.h"

namespace pathwhy {

void explain_observation(const Snapshot& snapshot, Ipv4Address destination,
                         const Observation& observation, Diagnosis& diagnosis);

}  // namespace pathwhy
