// Docker's published ports as the explainer needs them: which running container publishes a host
// port now, at which of its addresses Docker's DNAT delivers it, and which container owns an
// address — Docker's half of "does this conntrack entry still match the port's NAT?".
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "explain/port_refs.h"
#include "model/docker_state.h"

namespace pathwhy {

struct HostPort {
    std::uint16_t port = 0;
    std::uint8_t protocol = 0;  // IPPROTO_UDP / IPPROTO_TCP

    auto operator<=>(const HostPort&) const = default;
};

struct PortPublisher {
    const DockerContainer* container = nullptr;
    PublishedPort binding;
    std::optional<Ipv4Address> address;      // where Docker's DNAT sends the port
    std::string network_name;                // the network `address` is on
    const DockerNetwork* network = nullptr;  // the same, when Docker listed it
};

// The running container that publishes `port` on `host` (nullopt: on any address) — a binding
// to `host` itself before one to 0.0.0.0. nullopt when none does.
std::optional<PortPublisher> port_publisher(const DockerState& docker, HostPort port,
                                            std::optional<Ipv4Address> host = std::nullopt);

// Every host port a running container publishes, each once, in order.
std::vector<HostPort> published_host_ports(const DockerState& docker);

// The address Docker's DNAT uses for a container: the one on its first network that has one
// (containers on several networks are rare for published ports; any of their addresses counts as
// theirs in container_with_address).
std::optional<Ipv4Address> container_address(const DockerContainer& container);

// The running container with `address` on one of its networks, or null.
const DockerContainer* container_with_address(const DockerState& docker, Ipv4Address address);

// The container by name (with or without the leading "/") or by id or id prefix of at least
// 12 hex digits; null when none.
const DockerContainer* find_container(const DockerState& docker, const std::string& name_or_id);

// The port asked about and its publisher, flattened for the diagnosis.
PublishedPortRef published_port_ref(HostPort port, std::optional<Ipv4Address> host,
                                    const std::optional<PortPublisher>& publisher);

}  // namespace pathwhy
