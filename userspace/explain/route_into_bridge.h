// route-into-docker-bridge: the destination's best route leads into a Docker bridge although no
// container there owns the address, so traffic for a peer ends on the bridge (seeds 000-002, 004).
#pragma once

#include <optional>

#include "explain/diagnosis.h"
#include "explain/docker_bridges.h"
#include "model/snapshot.h"

namespace pathwhy {

struct MisrouteEvidence {
    Ipv4Address destination;
    const Route* winner = nullptr;     // the route into the bridge
    const Route* displaced = nullptr;  // what would win without Docker's bridge routes, or null
    BridgeOwner owner;
};

// True when the address belongs on the bridge itself: a container's IP or the gateway.
bool address_lives_on_network(const Snapshot& snapshot, const DockerNetwork& network,
                              Ipv4Address address);

Finding route_into_bridge_finding(const Snapshot& snapshot, const MisrouteEvidence& evidence);

// Why Docker's own overlap check let a network's subnet through although `displaced` (the route
// the bridge's route overlaps; null when there is none) existed.
std::string why_docker_did_not_see_it(const Snapshot& snapshot, const Route* displaced);

// "default via 172.18.2.129 dev eth0 (table main)": a Route as `ip route` users read it.
std::string describe_route(const KernelState& kernel, const Route& route);

}  // namespace pathwhy
