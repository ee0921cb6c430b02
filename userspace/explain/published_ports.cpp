#include "explain/published_ports.h"

#include <algorithm>

namespace pathwhy {

namespace {

bool running(const DockerContainer& container) { return container.state == "running"; }

const DockerNetwork* network_by_id(const DockerState& docker, const std::string& id) {
    for (const auto& network : docker.networks)
        if (network.id == id) return &network;
    return nullptr;
}

}  // namespace

std::optional<Ipv4Address> container_address(const DockerContainer& container) {
    for (const auto& attachment : container.networks)
        if (attachment.ipv4) return attachment.ipv4;
    return std::nullopt;
}

std::optional<PortPublisher> port_publisher(const DockerState& docker, HostPort port,
                                            std::optional<Ipv4Address> host) {
    std::optional<PortPublisher> found;
    for (const auto& container : docker.containers) {
        if (!running(container)) continue;
        for (const auto& binding : container.ports) {
            if (binding.host_port != port.port || binding.protocol != port.protocol) continue;
            const bool any_address = binding.host_ip == Ipv4Address{};
            if (host && !any_address && binding.host_ip != *host) continue;
            // A binding to the very address asked about is what Docker's rule for it DNATs to.
            if (found && !(host && binding.host_ip == *host)) continue;
            PortPublisher publisher{&container, binding, container_address(container), "", nullptr};
            for (const auto& attachment : container.networks) {
                if (!attachment.ipv4 || attachment.ipv4 != publisher.address) continue;
                publisher.network_name = attachment.network_name;
                publisher.network = network_by_id(docker, attachment.network_id);
                break;
            }
            found = publisher;
        }
    }
    return found;
}

std::vector<HostPort> published_host_ports(const DockerState& docker) {
    std::vector<HostPort> ports;
    for (const auto& container : docker.containers)
        if (running(container))
            for (const auto& binding : container.ports)
                ports.push_back({binding.host_port, binding.protocol});
    std::sort(ports.begin(), ports.end());
    ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
    return ports;
}

const DockerContainer* container_with_address(const DockerState& docker, Ipv4Address address) {
    for (const auto& container : docker.containers) {
        if (!running(container)) continue;
        for (const auto& attachment : container.networks)
            if (attachment.ipv4 == address) return &container;
    }
    return nullptr;
}

const DockerContainer* find_container(const DockerState& docker, const std::string& name_or_id) {
    const std::string name = name_or_id.starts_with('/') ? name_or_id.substr(1) : name_or_id;
    for (const auto& container : docker.containers)
        if (container.name == name || container.id == name) return &container;
    // An id prefix, as `docker ps` shows it; shorter ones are too easy to mistake for names.
    constexpr std::size_t kShortId = 12;
    if (name.size() < kShortId) return nullptr;
    for (const auto& container : docker.containers)
        if (container.id.starts_with(name)) return &container;
    return nullptr;
}

PublishedPortRef published_port_ref(HostPort port, std::optional<Ipv4Address> host,
                                    const std::optional<PortPublisher>& publisher) {
    PublishedPortRef ref;
    ref.host = host.value_or(Ipv4Address{});
    ref.port = port.port;
    ref.protocol = port.protocol;
    if (!publisher) return ref;
    ref.container = publisher->container->name;
    ref.container_id = publisher->container->id;
    ref.container_ipv4 = publisher->address;
    ref.container_port = publisher->binding.container_port;
    ref.network = publisher->network_name;
    return ref;
}

}  // namespace pathwhy
