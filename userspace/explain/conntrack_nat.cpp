#include "explain/conntrack_nat.h"

#include <linux/netfilter/nf_conntrack_tcp.h>
#include <netinet/in.h>

#include <algorithm>

#include "explain/docker_settings.h"

namespace pathwhy {

namespace {

bool is_loopback(Ipv4Address address) { return (address.value >> 24) == 127; }

bool in_docker_subnet(const DockerState& docker, Ipv4Address address) {
    return std::any_of(docker.networks.begin(), docker.networks.end(), [&](const auto& network) {
        return std::any_of(network.ipam.begin(), network.ipam.end(), [&](const IpamConfig& ipam) {
            return ipam.subnet && ipam.subnet->network().contains(address);
        });
    });
}

bool is_local_address(const KernelState& kernel, Ipv4Address address) {
    return std::any_of(kernel.addresses.begin(), kernel.addresses.end(),
                       [&](const Address& local) { return local.cidr.address == address; });
}

bool dying_tcp(const ConntrackEntry& entry) {
    return entry.original.protocol == IPPROTO_TCP &&
           (entry.tcp_state == TCP_CONNTRACK_TIME_WAIT || entry.tcp_state == TCP_CONNTRACK_CLOSE);
}

// Flows Docker serves without NAT by design (see read_stale_nat).
bool untranslated_by_design(const Snapshot& snapshot, const ConntrackEntry& entry) {
    const Ipv4Address source = entry.original.source;
    return is_loopback(source) ||
           (userland_proxy_fact(snapshot.docker).on && in_docker_subnet(snapshot.docker, source));
}

}  // namespace

bool addressed_to_host_port(const Snapshot& snapshot, const ConntrackEntry& entry, HostPort port,
                            std::optional<Ipv4Address> host) {
    const FlowTuple& first = entry.original;
    if (first.protocol != port.protocol || first.destination_port != port.port) return false;
    if (host) return first.destination == *host;
    return is_local_address(snapshot.kernel, first.destination);
}

std::optional<StaleReading> read_stale_nat(const Snapshot& snapshot, const ConntrackEntry& entry) {
    if (dying_tcp(entry)) return std::nullopt;
    const HostPort port{entry.original.destination_port, entry.original.protocol};
    StaleReading reading;
    reading.publisher = port_publisher(snapshot.docker, port, entry.original.destination);
    reading.address = entry.reply.source;
    reading.port = entry.reply.source_port;
    reading.owner = container_with_address(snapshot.docker, reading.address);

    if (!entry.destination_translated()) {
        if (!reading.publisher || untranslated_by_design(snapshot, entry)) return std::nullopt;
        reading.nat = StaleNat::none;
        return reading;
    }
    if (reading.publisher && reading.owner == reading.publisher->container) {
        if (reading.port == reading.publisher->binding.container_port) return std::nullopt;
        reading.nat = StaleNat::wrong_port;
    } else if (reading.owner) {
        reading.nat = StaleNat::other_container;
    } else if (reading.publisher || in_docker_subnet(snapshot.docker, reading.address)) {
        reading.nat = StaleNat::gone_address;
    } else {
        return std::nullopt;
    }
    return reading;
}

}  // namespace pathwhy
