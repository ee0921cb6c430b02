// no-route: the lookup for the destination fails outright — no matching route, an
// unreachable/prohibit/blackhole route or rule. Names the rule or route that decided.
#pragma once

#include "explain/diagnosis.h"
#include "explain/route_resolver.h"
#include "model/snapshot.h"

namespace pathwhy {

// `error` is the positive errno the lookup ended with (the kernel's when it was asked).
Finding no_route_finding(const Snapshot& snapshot, Ipv4Address destination,
                         const RouteResolution& resolution, int error);

// "rule 32766 → table main: no matching route", for the evidence of any finding.
std::vector<std::string> describe_lookup_steps(const KernelState& kernel,
                                               const RouteResolution& resolution);

}  // namespace pathwhy
