// Which Docker network, if any, stands behind a Linux interface, and the flattened view of a
// network that findings carry. Works from Docker's API data when there is some, and from
// Docker's naming convention (docker0, br-<12 hex of the network id>) when there is none.
#pragma once

#include <optional>
#include <string>

#include "explain/diagnosis.h"
#include "model/snapshot.h"

namespace pathwhy {

struct BridgeOwner {
    const DockerNetwork* network = nullptr;  // null when Docker's API gave us nothing
    std::string bridge;                      // interface name
    bool named_like_docker = false;          // docker0 or br-<12 hex>
};

// nullopt when the interface is neither a known Docker bridge nor named like one.
std::optional<BridgeOwner> docker_bridge_owner(const Snapshot& snapshot, int ifindex);

bool is_docker_bridge_name(const std::string& name);

// Whether the route's device (or one leg of a multipath route) is a Docker bridge.
bool leads_into_docker_bridge(const Snapshot& snapshot, const Route& route);

// Endpoints from network inspect, completed by the container list (which also knows containers
// that are stopped and so hold no endpoint).
NetworkRef network_ref(const Snapshot& snapshot, const DockerNetwork& network);

// The running containers attached to a network (endpoints), by name.
std::vector<ContainerRef> attached_containers(const Snapshot& snapshot, const DockerNetwork& network);

// The network's IPv4 subnet as text ("172.31.0.0/16"), or "" when it has none.
std::string ipv4_subnet(const DockerNetwork& network);

}  // namespace pathwhy
