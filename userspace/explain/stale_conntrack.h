// stale-conntrack: conntrack entries for a published port whose NAT no longer matches what Docker
// publishes now (seed 003). After a redeploy gives the container a new address, a steady stream
// keeps an entry made before (DNAT to the old address) or in the gap (no DNAT at all) alive, and
// every packet of the stream follows it instead of Docker's current rule. One finding per place
// the entries send the flow instead, with the exact `conntrack -D` that deletes only them.
#pragma once

#include <optional>
#include <vector>

#include "explain/diagnosis.h"
#include "explain/published_ports.h"
#include "model/snapshot.h"

namespace pathwhy {

// The entries of `port` (on `host` only, when given) in snapshot.conntrack that read_stale_nat()
// calls stale, grouped by where they send the flow. Empty when conntrack was not read.
std::vector<Finding> stale_conntrack_findings(const Snapshot& snapshot, HostPort port,
                                              std::optional<Ipv4Address> host = std::nullopt);

// The command prefix that runs a fix inside the diagnosed namespace: "" for pathwhy's own,
// "ip netns exec NAME " for a name, "nsenter --net=PATH " for a path.
std::string netns_command_prefix(const std::string& netns);

}  // namespace pathwhy
