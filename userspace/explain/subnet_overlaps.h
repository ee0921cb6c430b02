// docker-subnet-overlaps-route and docker-subnet-overlaps-peer: Docker networks whose subnet
// covers addresses this host also reaches another way — a route via a gateway, a route in a
// policy-routed table, a peer/VPN/VPC range the user names. Docker's own check, at creation
// only, avoids just the link-scope routes of the main table (DOCKER.md), so these are the
// overlaps that slip through and later swallow a peer (seeds 000-002, 004). For `pathwhy scan`,
// which has no destination to start from.
#pragma once

#include <vector>

#include "explain/diagnosis.h"
#include "model/snapshot.h"

namespace pathwhy {

// Against every route but the local table's, default routes and the Docker bridges' own.
std::vector<Finding> route_overlap_findings(const Snapshot& snapshot);

// Against the ranges given with `scan --peer`.
std::vector<Finding> peer_overlap_findings(const Snapshot& snapshot,
                                           const std::vector<Ipv4Cidr>& peers);

}  // namespace pathwhy
