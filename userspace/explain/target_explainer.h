// Diagnoses of targets beyond a plain address — a port this host publishes, a container — built
// on explain_destination(): the route to where the target leads now (the publishing container's
// address), then the stale-conntrack findings of its ports, which decide the verdict when there
// are any. Pure, like the explainer.
#pragma once

#include <optional>

#include "explain/diagnosis.h"
#include "explain/published_ports.h"
#include "model/snapshot.h"

namespace pathwhy {

// `port` on `host` (nullopt: on every address of the host, ":8888/udp").
Diagnosis explain_published_port(const Snapshot& snapshot, HostPort port,
                                 std::optional<Ipv4Address> host = std::nullopt);

// A running container with an address (container_address): its route, and every port it
// publishes.
Diagnosis explain_container(const Snapshot& snapshot, const DockerContainer& container);

// The note a diagnosis carries when the conntrack table was asked for and could not be read.
std::optional<std::string> conntrack_note(const Snapshot& snapshot);

}  // namespace pathwhy
