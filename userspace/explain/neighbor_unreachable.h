// neighbor-unreachable: ARP for an address failed on a device (INCOMPLETE → FAILED), so the
// kernel dropped the packets queued for it and answered their senders with ICMP host
// unreachable — what curl reports as "No route to host" and ping as "Destination Host
// Unreachable" (seed 000: ARP for the peer on a Docker bridge, answered by the bridge's own
// address). Built from whichever of the three observations the tracer had: the neighbour's
// state change, the ICMP error, the NEIGH_FAILED drops.
#pragma once

#include <optional>

#include "explain/diagnosis.h"
#include "model/snapshot.h"

namespace pathwhy {

std::optional<Finding> neighbor_unreachable_finding(const Snapshot& snapshot,
                                                    const ObservedPath& path,
                                                    Ipv4Address destination);

}  // namespace pathwhy
