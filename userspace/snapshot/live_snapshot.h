// Takes a Snapshot of the live system: the kernel's state as seen from one network namespace,
// and Docker's metadata from its Engine API. The only place diagnosis touches the system.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "docker/docker_endpoint.h"
#include "kernel/conntrack_table.h"
#include "model/snapshot.h"

namespace pathwhy {

struct LiveSnapshotRequest {
    std::string netns;  // "" = the namespace pathwhy runs in
    EngineEndpoint docker;
    std::string daemon_json;
    std::vector<Ipv4Address> destinations;  // asked of the kernel too (ip route get)
    bool read_ruleset = false;  // iptables-save in the namespace: when packets will be traced
    // Addresses known only once Docker has answered (a container's), asked of the kernel too.
    std::function<std::vector<Ipv4Address>(const DockerState&)> docker_destinations;
    // The conntrack entries to read; nullopt: none (a plain address needs no conntrack).
    std::optional<ConntrackFilter> conntrack;
};

// Throws Error for what makes a diagnosis impossible (unknown namespace, no permission, an
// explicit Docker endpoint that cannot be reached); Docker's other troubles land in
// snapshot.docker.status/error and the diagnosis goes on without Docker's metadata.
Snapshot take_live_snapshot(const LiveSnapshotRequest& request);

}  // namespace pathwhy
