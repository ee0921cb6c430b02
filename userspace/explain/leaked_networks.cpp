#include "explain/leaked_networks.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "explain/docker_bridges.h"
#include "explain/docker_engine_facts.h"
#include "explain/human_age.h"
#include "explain/shell_words.h"

namespace pathwhy {

namespace {

// Why a leaked network matters, in the running engine's own allocation order.
std::string held_subnet_line(const std::string& server_version, const std::string& subnet) {
    const std::string engine = docker_engine_name(server_version);
    switch (docker_subnet_order(server_version)) {
        case SubnetOrder::rotating_cursor:
            return fmt::format(
                "it still holds {}: {} allocates the next network above it, walking its pools "
                "172.17 → 172.31 → 192.168.x, and returns to a freed subnet only once the walk "
                "wraps round",
                subnet, engine);
        case SubnetOrder::lowest_free:
            return fmt::format(
                "it still holds {}: {} gives each new network the lowest free subnet of its "
                "pools, so this one stays taken until the network is removed",
                subnet, engine);
        case SubnetOrder::unknown:
            break;
    }
    return fmt::format(
        "it still holds {}: Docker up to 26.x allocates the next network above it, walking its "
        "pools 172.17 → 172.31 → 192.168.x; 27.0 and later take the lowest free subnet",
        subnet);
}

}  // namespace

bool is_leaked_network(const Snapshot& snapshot, const DockerNetwork& network) {
    return network.driver == "bridge" && !network.compose_project().empty() &&
           attached_containers(snapshot, network).empty();
}

std::vector<std::string> network_removal_commands(const Snapshot& snapshot,
                                                  const DockerNetwork& network) {
    if (network.name == "bridge")
        return {
            "# the default bridge (docker0) cannot be removed: move it with \"bip\" in "
            "/etc/docker/daemon.json (see prevent), then restart dockerd"};
    std::vector<std::string> commands;
    const std::string id = network.short_id();
    for (const auto& container : attached_containers(snapshot, network))
        commands.push_back(fmt::format("docker network disconnect --force {} {}", id,
                                       shell_quote(container.name)));
    commands.push_back(fmt::format("docker network rm {}  # {}", id, shell_quote(network.name)));
    if (!network.compose_project().empty())
        commands.push_back(
            fmt::format("# or take down the whole compose project: docker compose -p {} down",
                        shell_quote(network.compose_project())));
    return commands;
}

std::vector<Finding> leaked_network_findings(const Snapshot& snapshot) {
    std::vector<const DockerNetwork*> leaked;
    for (const auto& network : snapshot.docker.networks)
        if (is_leaked_network(snapshot, network)) leaked.push_back(&network);
    // Creation order is the order Docker walked its pools in. RFC 3339 times in UTC with
    // nanoseconds sort as text; networks created in the same second need that precision.
    std::stable_sort(
        leaked.begin(), leaked.end(), [](const DockerNetwork* a, const DockerNetwork* b) {
            return std::tie(a->created_unix, a->created) < std::tie(b->created_unix, b->created);
        });

    std::vector<Finding> findings;
    for (const DockerNetwork* network : leaked) {
        NetworkRef ref = network_ref(snapshot, *network);
        Finding finding;
        finding.kind = "leaked-docker-network";
        finding.severity = Severity::warning;
        std::string age = ref.age_seconds ? ", created " + human_age(*ref.age_seconds) : "";
        finding.summary = fmt::format("{} ({}, compose project {}) has no containers{}", ref.name,
                                      ref.subnet.empty() ? "no IPv4 subnet" : ref.subnet,
                                      ref.compose_project, age);
        finding.evidence = {
            fmt::format("no endpoint on bridge {} and no running container of the network",
                        ref.bridge),
            held_subnet_line(snapshot.docker.server_version,
                             ref.subnet.empty() ? "its subnet" : ref.subnet)};
        finding.fix = network_removal_commands(snapshot, *network);
        finding.prevent = {
            "# end every job with `docker compose -p <project> down --remove-orphans`, also when "
            "it fails",
            "# sweep leftovers: docker network prune --force --filter "
            "label=com.docker.compose.project"};
        finding.docker_network = std::move(ref);
        findings.push_back(std::move(finding));
    }
    return findings;
}

}  // namespace pathwhy
