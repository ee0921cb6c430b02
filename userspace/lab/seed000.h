// Seed 000 in a lab: a CI runner whose leaked compose networks have walked Docker's default
// pools up to 172.31.0.0/16, whose bridge route now swallows the VPC peer 172.31.151.55 (reached
// through the default route, which Docker's overlap check does not see). One container, the
// current CI job, keeps that bridge up, as on the real runner.
#pragma once

#include <cstddef>
#include <vector>

#include "lab/lab.h"

namespace pathwhy::lab {

struct Seed000 {
    std::vector<LabNetwork> networks;  // in creation order: backend-33_default, ...
    std::size_t swallowing = 0;        // index of the network that got 172.31.0.0/16 (the last)
    LabContainer job;                  // "<project>-app-1" on that network

    const LabNetwork& swallowing_network() const { return networks[swallowing]; }
};

// The subnet the leak ends on, and the peer it hides.
Ipv4Cidr seed000_swallowed_subnet();
Ipv4Address seed000_peer();

// Creates compose projects backend-33, backend-34, ... until Docker hands out 172.31.0.0/16
// (13 networks with the default pools: 172.17 is docker0's, 172.18 overlaps the uplink's link
// route), then runs the job's container on it. Throws Error if Docker moves on to 192.168.0.0/16
// first or after 20 networks.
Seed000 build_seed000(Lab& lab);

}  // namespace pathwhy::lab
