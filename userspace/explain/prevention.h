// The `prevent` half of a misrouting finding: Docker address pools (daemon.json) and a compose
// ipam subnet that stay clear of the destination and of every route this host has.
#pragma once

#include <string>
#include <vector>

#include "model/snapshot.h"

namespace pathwhy {

// `network` is the Docker network whose subnet swallowed `destination`; null when Docker's API
// was not available.
std::vector<std::string> pool_prevention(const Snapshot& snapshot, Ipv4Address destination,
                                         const DockerNetwork* network);

// The same for a known peer range (a VPN or VPC CIDR, a route's prefix) instead of the /16
// assumed around one destination.
std::vector<std::string> pool_prevention(const Snapshot& snapshot, const Ipv4Cidr& peer_range,
                                         const DockerNetwork* network);

}  // namespace pathwhy
