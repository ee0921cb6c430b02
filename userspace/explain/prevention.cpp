#include "explain/prevention.h"

#include <fmt/format.h>

#include "explain/address_pool_planner.h"
#include "explain/docker_bridges.h"
#include "explain/docker_settings.h"

namespace pathwhy {

namespace {

std::vector<Ipv4Cidr> addresses_in_use(const Snapshot& snapshot, const Ipv4Cidr& peer_range) {
    std::vector<Ipv4Cidr> avoid{peer_range};
    for (const auto& route : snapshot.kernel.routes) avoid.push_back(route.destination);
    for (const auto& network : snapshot.docker.networks)
        for (const auto& config : network.ipam)
            if (config.subnet) avoid.push_back(config.subnet->network());
    if (auto bip = docker_bip(snapshot.docker)) avoid.push_back(bip->network());
    return avoid;
}

}  // namespace

std::vector<std::string> pool_prevention(const Snapshot& snapshot, Ipv4Address destination,
                                         const DockerNetwork* network) {
    return pool_prevention(snapshot, Ipv4Cidr{destination, kAssumedPeerPrefix}.network(), network);
}

std::vector<std::string> pool_prevention(const Snapshot& snapshot, const Ipv4Cidr& peer_range,
                                         const DockerNetwork* network) {
    std::vector<std::string> lines;
    const AddressPoolsFact pools = docker_address_pools(snapshot.docker);
    for (const auto& pool : pools.pools)
        if (pool.base.overlaps(peer_range))
            lines.push_back(fmt::format("# {} sets default-address-pools base {}, which overlaps {}: "
                                        "replace it", pools.where, pool.base.str(), peer_range.str()));

    auto suggestion = suggest_address_pool(addresses_in_use(snapshot, peer_range));
    if (!suggestion) {
        lines.push_back("# every private /16 overlaps a route here: choose Docker's pools by hand "
                        "(default-address-pools in /etc/docker/daemon.json)");
        return lines;
    }
    const bool default_bridge = network && network->name == "bridge";
    lines.push_back(fmt::format("# give Docker pools clear of {} and of every route on this host, "
                                "in /etc/docker/daemon.json:", peer_range.str()));
    std::string bip = default_bridge
                          ? fmt::format("\"bip\": \"{}/24\", ",
                                        Ipv4Address{suggestion->base.first().value + 1}.str())
                          : "";
    lines.push_back(fmt::format(R"({{{}"default-address-pools": [{{"base": "{}", "size": {}}}]}})",
                                bip, suggestion->base.str(), suggestion->size));
    // dockerd refuses to start when daemon.json repeats a setting its flags give.
    if (pools.from_command_line || (default_bridge && snapshot.docker.running.bip_flag))
        lines.push_back("# and drop --default-address-pool and --bip from dockerd's command line "
                        "(its unit's ExecStart): dockerd refuses a setting given both ways");
    lines.push_back("# then restart dockerd; existing networks keep their subnets until recreated");
    if (!default_bridge) {
        lines.push_back("# or pin the subnet in the project's docker-compose.yml:");
        lines.push_back(fmt::format(R"(networks: {{default: {{ipam: {{config: [{{subnet: "{}"}}]}}}}}})",
                                    suggestion->fixed_subnet.str()));
    }
    return lines;
}

}  // namespace pathwhy
