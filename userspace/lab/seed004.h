// Seed 004 in a lab: one compose project is brought up and down again and again, as a team does
// with `docker compose up`/`down`. Docker 20.10's rotating pool cursor hands each `up` the next
// /16, so the project's network walks the default pools until it lands on 172.31.0.0/16 — the
// peered VPC that the bastion (the lab peer, 172.31.151.55) connects from. From then on the
// bastion's connections to the host reach it, but the host's replies go into the bridge.
// `down` then heals it. Traffic for the story comes from PeerConnections (peer_connections.h).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "lab/lab.h"

namespace pathwhy::lab {

struct Seed004Stack {
    LabNetwork network;  // "<project>_default"
    LabContainer app;    // "<project>-app-1"
};

struct Seed004 {
    std::string project;
    std::vector<LabNetwork> networks;  // every `up`'s network in order; the last one collides
    Seed004Stack stack;                // what is up now, on the colliding network

    const LabNetwork& colliding_network() const { return networks.back(); }
};

// The bastion's VPC and the bastion itself (the lab peer's address).
Ipv4Cidr seed004_vpc();
Ipv4Address seed004_bastion();

// One `compose up`: the project's default network (Docker picks the subnet) and its app container.
Seed004Stack seed004_up(Lab& lab, const std::string& project);
// One `compose down`: the container, then the network.
void seed004_down(Lab& lab, const Seed004Stack& stack);

// Up/down cycles of `project` until an `up` gets seed004_vpc(); that stack is left up. Each
// cycle's network is told to `on_up` while it is up. Throws Error if Docker moves past the VPC's
// range or after 20 cycles.
Seed004 cycle_until_collision(Lab& lab, const std::string& project = "shop",
                              const std::function<void(const Seed004Stack&)>& on_up = {});

}  // namespace pathwhy::lab
