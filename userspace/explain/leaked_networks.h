// leaked-docker-network: compose networks that no container uses any more. Each one keeps its
// subnet, so every leak pushes the next network further up Docker's pools — towards the ranges
// of peered VPCs and VPN offices (seeds 000, 001, 004).
#pragma once

#include <vector>

#include "explain/diagnosis.h"
#include "model/snapshot.h"

namespace pathwhy {

bool is_leaked_network(const Snapshot& snapshot, const DockerNetwork& network);

// One finding per leaked network, oldest first.
std::vector<Finding> leaked_network_findings(const Snapshot& snapshot);

// Commands that remove a network now: disconnect what is attached, then remove it; for a compose
// network also the project-wide alternative. The default bridge cannot be removed: for it, a
// note to move it with "bip".
std::vector<std::string> network_removal_commands(const Snapshot& snapshot,
                                                  const DockerNetwork& network);

}  // namespace pathwhy
