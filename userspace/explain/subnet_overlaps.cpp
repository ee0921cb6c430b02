#include "explain/subnet_overlaps.h"

#include <fmt/format.h>

#include "explain/docker_bridges.h"
#include "explain/leaked_networks.h"
#include "explain/prevention.h"
#include "explain/route_into_bridge.h"
#include "explain/route_resolver.h"

namespace pathwhy {

namespace {

struct DockerSubnet {
    const DockerNetwork* network;
    Ipv4Cidr subnet;
};

std::vector<DockerSubnet> docker_subnets(const DockerState& docker) {
    std::vector<DockerSubnet> subnets;
    for (const auto& network : docker.networks)
        if (network.driver == "bridge")
            for (const auto& ipam : network.ipam)
                if (ipam.subnet) subnets.push_back({&network, ipam.subnet->network()});
    return subnets;
}

// Routes that send the addresses somewhere other than a Docker bridge.
bool competes(const Snapshot& snapshot, const Route& route) {
    switch (route.type) {
        case RouteType::unicast:
        case RouteType::blackhole:
        case RouteType::unreachable:
        case RouteType::prohibit:
            break;
        default:
            return false;
    }
    return route.table != kTableLocal && route.destination.length > 0 &&
           !leads_into_docker_bridge(snapshot, route);
}

Ipv4Cidr narrower(const Ipv4Cidr& a, const Ipv4Cidr& b) {
    return a.length >= b.length ? a.network() : b.network();
}

// An address both ranges hold, away from the subnet's start (the bridge's own gateway address)
// and its broadcast address.
Ipv4Address probe_in(const Ipv4Cidr& overlap) {
    if (overlap.length >= 31) return overlap.first();
    return Ipv4Address{overlap.last().value - 1};
}

struct Lookup {
    std::string text;          // "for 172.31.255.254 the lookup picks ..."
    bool into_bridge = false;  // the Docker bridge wins there
};

Lookup look_up(const Snapshot& snapshot, Ipv4Address probe) {
    RouteFlow flow;
    flow.destination = probe;
    const RouteResolution resolution = resolve_route(snapshot.kernel, flow);
    if (resolution.error || !resolution.route)
        return {fmt::format("for {}, the lookup (rules by priority, then the longest prefix) "
                            "finds no usable route",
                            probe.str()),
                false};
    return {fmt::format("for {}, the lookup (rules by priority, then the longest prefix) picks "
                        "{}",
                        probe.str(), describe_route(snapshot.kernel, *resolution.route)),
            leads_into_docker_bridge(snapshot, *resolution.route)};
}

std::string network_line(const Snapshot& snapshot, const DockerSubnet& docker) {
    const NetworkRef ref = network_ref(snapshot, *docker.network);
    std::string line = fmt::format("{} is Docker network {}, id {}, bridge {}", docker.subnet.str(),
                                   ref.name, ref.id.substr(0, 12), ref.bridge);
    if (!ref.compose_project.empty()) line += ", compose project " + ref.compose_project;
    if (ref.containers.empty()) return line + "; no container uses it";
    std::string names;
    for (const auto& container : ref.containers)
        names += (names.empty() ? "" : ", ") + container.name +
                 (container.ipv4 ? " " + container.ipv4->str() : std::string{});
    return line + "; attached: " + names;
}

// What both kinds share: the overlap, who wins there, the network, how to remove it and which
// pools would have avoided it. The caller words the summary and evidence.
struct Overlap {
    Ipv4Cidr range;  // the addresses both hold
    Lookup lookup;   // who wins for one of them
    Finding finding;
};

Overlap overlap_between(const Snapshot& snapshot, const DockerSubnet& docker, std::string kind,
                        const Ipv4Cidr& other) {
    Overlap overlap;
    overlap.range = narrower(other, docker.subnet);
    overlap.lookup = look_up(snapshot, probe_in(overlap.range));
    Finding& finding = overlap.finding;
    finding.kind = std::move(kind);
    finding.severity = overlap.lookup.into_bridge ? Severity::critical : Severity::warning;
    finding.docker_network = network_ref(snapshot, *docker.network);
    finding.fix = network_removal_commands(snapshot, *docker.network);
    finding.prevent = pool_prevention(snapshot, other, docker.network);
    return overlap;
}

}  // namespace

std::vector<Finding> route_overlap_findings(const Snapshot& snapshot) {
    std::vector<Finding> findings;
    for (const DockerSubnet& docker : docker_subnets(snapshot.docker)) {
        for (const Route& route : snapshot.kernel.routes) {
            if (!competes(snapshot, route) || !route.destination.overlaps(docker.subnet)) continue;
            Overlap o = overlap_between(snapshot, docker, "docker-subnet-overlaps-route",
                                        route.destination);
            const std::string route_text = describe_route(snapshot.kernel, route);
            const std::string what =
                o.lookup.into_bridge
                    ? fmt::format("traffic for {} goes into bridge {} instead", o.range.str(),
                                  o.finding.docker_network->bridge)
                    : fmt::format(
                          "containers with addresses in {} cannot be reached from this "
                          "host",
                          o.range.str());
            o.finding.summary =
                fmt::format("Docker network {} ({}) overlaps the route {}: {}",
                            docker.network->name, docker.subnet.str(), route_text, what);
            o.finding.evidence = {
                "route: " + route_text,
                network_line(snapshot, docker),
                o.lookup.text,
                "why Docker chose this subnet: " + why_docker_did_not_see_it(snapshot, &route),
            };
            findings.push_back(std::move(o.finding));
        }
    }
    return findings;
}

std::vector<Finding> peer_overlap_findings(const Snapshot& snapshot,
                                           const std::vector<Ipv4Cidr>& peers) {
    std::vector<Finding> findings;
    for (const DockerSubnet& docker : docker_subnets(snapshot.docker)) {
        for (const Ipv4Cidr& given : peers) {
            const Ipv4Cidr peer = given.network();
            if (!peer.overlaps(docker.subnet)) continue;
            Overlap o = overlap_between(snapshot, docker, "docker-subnet-overlaps-peer", peer);
            const std::string bridge = o.finding.docker_network->bridge;
            const std::string what =
                o.lookup.into_bridge
                    ? fmt::format("this host sends traffic for {} into bridge {}, not to the peer",
                                  o.range.str(), bridge)
                    : fmt::format(
                          "a route wins over bridge {} for now, but containers there and "
                          "peers in {} share addresses",
                          bridge, o.range.str());
            o.finding.summary =
                fmt::format("Docker network {} ({}) overlaps peer range {}: {}",
                            docker.network->name, docker.subnet.str(), peer.str(), what);
            o.finding.evidence = {
                fmt::format("peer range {} (given with --peer)", peer.str()),
                network_line(snapshot, docker),
                o.lookup.text,
                "Docker never checks subnets against ranges reached through a gateway, the "
                "default route or another table, nor against ranges that appear later (a VPN "
                "that connects after the network exists)",
            };
            findings.push_back(std::move(o.finding));
        }
    }
    return findings;
}

}  // namespace pathwhy
