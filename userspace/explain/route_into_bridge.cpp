#include "explain/route_into_bridge.h"

#include <fmt/format.h>

#include "explain/docker_engine_facts.h"
#include "explain/human_age.h"
#include "explain/leaked_networks.h"
#include "explain/prevention.h"
#include "explain/shell_words.h"

namespace pathwhy {

namespace {

constexpr std::uint16_t kNudIncomplete = 0x01;
constexpr std::uint16_t kNudFailed = 0x20;

std::string prefix_text(const Ipv4Cidr& prefix) {
    return prefix.length == 0 ? "default" : prefix.str();
}

}  // namespace

// DOCKER.md: since 20.10.15 and 23.0 Docker only avoids link-scope routes of the main table when
// it picks a subnet (before, every main-table route with a destination), and it never checks
// explicit subnets.
std::string why_docker_did_not_see_it(const Snapshot& snapshot, const Route* displaced) {
    if (!displaced)
        return "Docker had no route to avoid: the host has no other route to this address";
    const Route& route = *displaced;
    const std::string via = describe_route(snapshot.kernel, route);
    if (route.table != kTableMain)
        return fmt::format("the peer is reached through table {} (policy routing): Docker checks "
                           "only the main table when it picks a subnet", table_name(route.table));
    if (route.destination.length == 0)
        return fmt::format("the peer is reached through the default route{}: Docker only avoids "
                           "subnets of link-scope routes, so it saw no conflict",
                           route.gateway ? " via " + route.gateway->str() : std::string{});
    // Up to 20.10.14 Docker avoided gateway routes too: then only a later route or an explicit
    // subnet explains the overlap (below).
    if (route.gateway &&
        docker_avoids_only_link_routes(snapshot.docker.server_version).value_or(true))
        return fmt::format("the peer is reached via a gateway ({}): Docker only avoids subnets of "
                           "link-scope routes, not gateway routes (VPN, VPC peering)", via);
    return fmt::format("{} overlaps it, yet Docker allocated the subnet anyway: it was set "
                       "explicitly (--subnet, compose ipam, bip) or the route appeared after "
                       "the network", via);
}

namespace {

std::vector<std::string> neighbour_evidence(const Snapshot& snapshot, const MisrouteEvidence& e) {
    std::vector<std::string> lines;
    const Link* bridge = snapshot.kernel.link_by_name(e.owner.bridge);
    if (bridge && !bridge->carrier)
        lines.push_back(fmt::format("{} has no carrier (no container attached): packets routed "
                                    "into it go nowhere", e.owner.bridge));
    for (const auto& neighbour : snapshot.kernel.neighbours) {
        if (neighbour.address != e.destination || !bridge || neighbour.ifindex != bridge->ifindex)
            continue;
        if (neighbour.state & (kNudFailed | kNudIncomplete))
            lines.push_back(fmt::format(
                "ARP for {} on {} is {}: nothing answers there, so the kernel replies ICMP host "
                "unreachable — curl says \"No route to host\", ping \"Destination Host Unreachable\"",
                e.destination.str(), e.owner.bridge,
                (neighbour.state & kNudFailed) ? "FAILED" : "INCOMPLETE"));
    }
    return lines;
}

std::vector<std::string> fix_commands(const Snapshot& snapshot, const MisrouteEvidence& e) {
    std::vector<std::string> fix;
    if (e.owner.network) {
        fix = network_removal_commands(snapshot, *e.owner.network);
    } else {
        fix.push_back(fmt::format("docker network ls --no-trunc | grep {}   # find the network "
                                  "behind {}", e.owner.bridge.substr(3), e.owner.bridge));
        fix.push_back(fmt::format("docker network rm {}", e.owner.bridge.substr(3)));
    }
    if (e.displaced && e.displaced->gateway) {
        const Route& way_out = *e.displaced;
        fix.push_back("# or restore just this destination, without touching Docker (until reboot):");
        fix.push_back(fmt::format("ip route add {}/32 via {} dev {}", e.destination.str(),
                                  way_out.gateway->str(), snapshot.kernel.link_name(way_out.oif)));
    }
    return fix;
}

}  // namespace

std::string describe_route(const KernelState& kernel, const Route& route) {
    std::string text = prefix_text(route.destination);
    if (route.type != RouteType::unicast) text = route_type_name(route.type) + " " + text;
    if (route.gateway) text += " via " + route.gateway->str();
    if (route.oif) text += " dev " + kernel.link_name(route.oif);
    if (route.prefsrc) text += " src " + route.prefsrc->str();
    if (route.metric) text += fmt::format(" metric {}", route.metric);
    if (route.linkdown) text += " linkdown";
    return text + fmt::format(" (table {})", table_name(route.table));
}

bool address_lives_on_network(const Snapshot& snapshot, const DockerNetwork& network,
                              Ipv4Address address) {
    for (const auto& config : network.ipam)
        if (config.gateway == address) return true;
    for (const auto& container : attached_containers(snapshot, network))
        if (container.ipv4 == address) return true;
    return false;
}

Finding route_into_bridge_finding(const Snapshot& snapshot, const MisrouteEvidence& e) {
    Finding finding;
    finding.kind = "route-into-docker-bridge";
    finding.severity = Severity::critical;
    const std::string dst = e.destination.str();
    const std::string network_name = e.owner.network ? e.owner.network->name : "unknown to us";
    finding.summary = fmt::format("{} is routed into Docker bridge {} (network {})", dst,
                                  e.owner.bridge, network_name);
    if (e.displaced)
        finding.summary += fmt::format(" instead of {}",
                                       e.displaced->gateway
                                           ? "via " + e.displaced->gateway->str() + " dev " +
                                                 snapshot.kernel.link_name(e.displaced->oif)
                                           : "dev " + snapshot.kernel.link_name(e.displaced->oif));

    auto& evidence = finding.evidence;
    evidence.push_back(fmt::format("winning route: {} — a /{} match", describe_route(snapshot.kernel, *e.winner),
                                   e.winner->destination.length));
    if (e.displaced)
        evidence.push_back(fmt::format("it beats: {} — a /{} match; the longest prefix wins",
                                       describe_route(snapshot.kernel, *e.displaced),
                                       e.displaced->destination.length));
    if (e.owner.network) {
        NetworkRef ref = network_ref(snapshot, *e.owner.network);
        std::string created =
            e.owner.network->created_unix
                ? fmt::format(", created {} ({})", utc_time(*e.owner.network->created_unix),
                              human_age(*ref.age_seconds))
                : "";
        std::string project = ref.compose_project.empty()
                                  ? std::string(" (not made by compose)")
                                  : " (compose project " + ref.compose_project + ")";
        evidence.push_back(fmt::format("{} is Docker network {}, id {}{}{}", ref.subnet, ref.name,
                                       ref.id.substr(0, 12), project, created));
        if (ref.containers.empty()) {
            evidence.push_back("no container is attached to it: a leaked network");
        } else {
            std::string names;
            for (const auto& c : ref.containers)
                names += (names.empty() ? "" : ", ") + c.name +
                         (c.ipv4 ? " " + c.ipv4->str() : std::string{});
            evidence.push_back(fmt::format("attached: {}; none of them is {}", names, dst));
        }
        finding.docker_network = std::move(ref);
    } else {
        evidence.push_back(fmt::format("{} is named like a Docker bridge, but Docker's API gave no "
                                       "network for it ({})", e.owner.bridge,
                                       snapshot.docker.error.empty()
                                           ? docker_status_name(snapshot.docker.status)
                                           : snapshot.docker.error));
    }
    evidence.push_back("why Docker chose this subnet: " +
                       why_docker_did_not_see_it(snapshot, e.displaced));
    for (auto& line : neighbour_evidence(snapshot, e)) evidence.push_back(std::move(line));

    finding.fix = fix_commands(snapshot, e);
    finding.prevent = pool_prevention(snapshot, e.destination, e.owner.network);
    return finding;
}

}  // namespace pathwhy
