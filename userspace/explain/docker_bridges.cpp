#include "explain/docker_bridges.h"

#include <algorithm>
#include <cctype>

namespace pathwhy {

bool is_docker_bridge_name(const std::string& name) {
    if (name == "docker0") return true;
    if (name.size() != 15 || name.rfind("br-", 0) != 0) return false;
    return std::all_of(name.begin() + 3, name.end(),
                       [](unsigned char c) { return std::isxdigit(c) && !std::isupper(c); });
}

std::optional<BridgeOwner> docker_bridge_owner(const Snapshot& snapshot, int ifindex) {
    const Link* link = snapshot.kernel.link_by_index(ifindex);
    if (!link) return std::nullopt;
    BridgeOwner owner;
    owner.bridge = link->name;
    owner.network = snapshot.docker.network_by_bridge(link->name);
    owner.named_like_docker = is_docker_bridge_name(link->name);
    if (!owner.network && !owner.named_like_docker) return std::nullopt;
    return owner;
}

bool leads_into_docker_bridge(const Snapshot& snapshot, const Route& route) {
    if (route.oif && docker_bridge_owner(snapshot, route.oif)) return true;
    for (const auto& hop : route.multipath)
        if (docker_bridge_owner(snapshot, hop.ifindex)) return true;
    return false;
}

std::string ipv4_subnet(const DockerNetwork& network) {
    for (const auto& config : network.ipam)
        if (config.subnet) return config.subnet->network().str();
    return "";
}

std::vector<ContainerRef> attached_containers(const Snapshot& snapshot,
                                              const DockerNetwork& network) {
    std::vector<ContainerRef> containers;
    auto add = [&](const std::string& name, std::optional<Ipv4Address> ipv4) {
        auto same = [&](const ContainerRef& c) { return c.name == name; };
        if (std::none_of(containers.begin(), containers.end(), same))
            containers.push_back({name, ipv4});
    };
    for (const auto& endpoint : network.endpoints)
        add(endpoint.container_name,
            endpoint.ipv4 ? std::optional(endpoint.ipv4->address) : std::nullopt);
    for (const auto& container : snapshot.docker.containers) {
        if (container.state != "running") continue;
        for (const auto& attachment : container.networks)
            if (attachment.network_id == network.id) add(container.name, attachment.ipv4);
    }
    return containers;
}

NetworkRef network_ref(const Snapshot& snapshot, const DockerNetwork& network) {
    NetworkRef ref;
    ref.id = network.id;
    ref.name = network.name;
    ref.bridge = network.driver == "bridge" ? network.bridge_name() : "";
    ref.subnet = ipv4_subnet(network);
    ref.compose_project = network.compose_project();
    ref.containers = attached_containers(snapshot, network);
    ref.created = network.created;
    if (network.created_unix) ref.age_seconds = snapshot.taken_at_unix - *network.created_unix;
    return ref;
}

}  // namespace pathwhy
