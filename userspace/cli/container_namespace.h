// Where `--from container:NAME` sends its probe from: the container's network namespace, found
// through the Engine API (GET /containers/{name}/json → State.Pid → /proc/PID/ns/net), and its
// IPv4 addresses, which the tracer watches too (a forwarded probe may be NATed on the way).
#pragma once

#include <string>
#include <vector>

#include "docker/docker_endpoint.h"
#include "model/ipv4.h"

namespace pathwhy {

struct ContainerNamespace {
    std::string name;
    std::string netns_path;  // /proc/PID/ns/net
    std::vector<Ipv4Address> addresses;
};

// Throws Error when Docker cannot be asked, has no such container, or it is not running.
ContainerNamespace container_namespace(const EngineEndpoint& docker, const std::string& name);

}  // namespace pathwhy
