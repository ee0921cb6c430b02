#include "cli/container_namespace.h"

#include <fmt/format.h>

#include "common/error.h"
#include "docker/engine_client.h"

namespace pathwhy {

ContainerNamespace container_namespace(const EngineEndpoint& docker, const std::string& name) {
    const std::string action = "send the probe from container " + name;
    // A Docker that cannot be asked throws its own DockerError, naming the endpoint.
    EngineClient client(docker);
    const std::optional<DockerContainer> container = client.inspect_container(name);
    if (!container)
        throw Error(action, "Docker has no container named '" + name + "'",
                    "`docker ps` lists the running ones");
    if (container->pid <= 0)
        throw Error(
            action,
            fmt::format("it is {}", container->state.empty() ? "not running" : container->state),
            "docker start " + container->name);
    ContainerNamespace found;
    found.name = container->name;
    found.netns_path = fmt::format("/proc/{}/ns/net", container->pid);
    for (const auto& network : container->networks)
        if (network.ipv4) found.addresses.push_back(*network.ipv4);
    return found;
}

}  // namespace pathwhy
