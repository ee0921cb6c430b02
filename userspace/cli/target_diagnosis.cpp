#include "cli/target_diagnosis.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "explain/explainer.h"
#include "explain/published_ports.h"
#include "explain/target_explainer.h"
#include "model/ip_protocol.h"

namespace pathwhy {

namespace {

// Published ports and containers exist only in Docker's answers.
void require_docker(const Target& target, const Snapshot& snapshot) {
    if (snapshot.docker.status == DockerStatus::ok) return;
    throw Error("diagnose '" + target.text + "'",
                "it needs Docker's containers and ports, and " +
                    (snapshot.docker.error.empty()
                         ? "Docker is " + docker_status_name(snapshot.docker.status)
                         : snapshot.docker.error),
                "point --docker-host or DOCKER_HOST at the engine");
}

const DockerContainer& running_container(const Target& target, const Snapshot& snapshot) {
    require_docker(target, snapshot);
    const DockerContainer* container = find_container(snapshot.docker, target.container);
    const std::string action = "diagnose '" + target.text + "'";
    if (!container)
        throw Error(action, "Docker has no container named '" + target.container + "'",
                    "`docker ps --all` lists them");
    if (container->state != "running")
        throw Error(action,
                    fmt::format("container {} is {}, so it has no address", container->name,
                                container->state.empty() ? "not running" : container->state),
                    "docker start " + container->name);
    if (!container_address(*container))
        throw Error(action, "container " + container->name + " has no IPv4 address",
                    "is it on network host or none?");
    return *container;
}

bool is_local_address(const KernelState& kernel, Ipv4Address address) {
    return std::any_of(kernel.addresses.begin(), kernel.addresses.end(),
                       [&](const Address& local) { return local.cidr.address == address; });
}

}  // namespace

LiveDiagnosis diagnose_target(const Target& target, LiveSnapshotRequest request) {
    LiveDiagnosis live;
    switch (target.kind) {
        case Target::Kind::address:
            request.destinations = {target.address};
            live.snapshot = take_live_snapshot(request);
            live.diagnosis = explain_destination(live.snapshot, target.address);
            return live;

        case Target::Kind::address_port:
        case Target::Kind::local_port: {
            const HostPort port{target.port, target.protocol};
            const bool local = target.kind == Target::Kind::local_port;
            if (!local) request.destinations = {target.address};
            request.conntrack = ConntrackFilter{std::nullopt, {target.port}, target.protocol};
            request.docker_destinations = [&](const DockerState& docker) {
                auto publisher = port_publisher(
                    docker, port, local ? std::nullopt : std::optional(target.address));
                return publisher && publisher->address ? std::vector{*publisher->address}
                                                       : std::vector<Ipv4Address>{};
            };
            live.snapshot = take_live_snapshot(request);
            // A port on another host is that host's business: here, only the route to it.
            if (!local && !is_local_address(live.snapshot.kernel, target.address)) {
                live.diagnosis = explain_destination(live.snapshot, target.address);
                live.diagnosis.notes.push_back(fmt::format(
                    "{} is not an address of this host: its port {}/{} is checked on the host "
                    "that has it; here, the route to it",
                    target.address.str(), target.port, ip_protocol_name(target.protocol)));
                break;
            }
            require_docker(target, live.snapshot);
            live.diagnosis = explain_published_port(
                live.snapshot, port, local ? std::nullopt : std::optional(target.address));
            break;
        }

        case Target::Kind::container:
            request.conntrack = ConntrackFilter{};
            request.docker_destinations = [&](const DockerState& docker) {
                const DockerContainer* container = find_container(docker, target.container);
                auto address = container ? container_address(*container) : std::nullopt;
                return address ? std::vector{*address} : std::vector<Ipv4Address>{};
            };
            live.snapshot = take_live_snapshot(request);
            live.diagnosis =
                explain_container(live.snapshot, running_container(target, live.snapshot));
            break;
    }
    live.diagnosis.target = target.text;
    return live;
}

}  // namespace pathwhy
