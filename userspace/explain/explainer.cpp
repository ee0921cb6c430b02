#include "explain/explainer.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "explain/docker_bridges.h"
#include "explain/docker_notes.h"
#include "explain/leaked_networks.h"
#include "explain/no_route.h"
#include "explain/observation_explainer.h"
#include "explain/route_into_bridge.h"
#include "explain/route_resolver.h"

namespace pathwhy {

namespace {

// The route the destination takes: the kernel's answer when we have one (it is the authority),
// located in the snapshot; otherwise our own resolution.
struct Decision {
    int error = 0;
    std::optional<std::size_t> route_index;
    std::optional<std::uint32_t> rule_priority;
    bool kernel_disagrees = false;
};

std::optional<std::size_t> find_route(const KernelState& kernel, const KernelRouteAnswer& answer) {
    if (!answer.matched_prefix) return std::nullopt;
    for (std::size_t i = 0; i < kernel.routes.size(); ++i) {
        const Route& route = kernel.routes[i];
        if (route.table == answer.table && route.destination == answer.matched_prefix->network() &&
            (route.oif == answer.oif || !route.multipath.empty() || answer.oif == 0))
            return i;
    }
    return std::nullopt;
}

Decision decide(const Snapshot& snapshot, Ipv4Address destination, const RouteResolution& ours) {
    Decision decision{ours.error, ours.route_index, ours.rule_priority, false};
    auto answer = snapshot.kernel_answers.find(destination);
    if (answer == snapshot.kernel_answers.end()) return decision;
    const KernelRouteAnswer& kernel = answer->second;
    if (kernel.error) {
        decision.kernel_disagrees = ours.error == 0;
        decision.error = kernel.error;
        if (decision.kernel_disagrees) decision.route_index.reset();
        return decision;
    }
    auto located = find_route(snapshot.kernel, kernel);
    if (!located) return decision;  // raced with a route change: keep our own reading
    decision.kernel_disagrees = ours.error != 0 || ours.route_index != located;
    decision.error = 0;
    decision.route_index = located;
    if (decision.kernel_disagrees) decision.rule_priority.reset();
    return decision;
}

RouteChoice route_choice(const Snapshot& snapshot, const Route& route,
                         std::optional<std::uint32_t> rule_priority,
                         std::optional<Ipv4Address> kernel_source) {
    RouteChoice choice;
    choice.table = table_name(route.table);
    choice.prefix = route.destination;
    choice.type = route.type;
    int oif = route.oif ? route.oif : (route.multipath.empty() ? 0 : route.multipath[0].ifindex);
    choice.dev = oif ? snapshot.kernel.link_name(oif) : "";
    choice.gateway = route.gateway;
    if (!choice.gateway && !route.multipath.empty()) choice.gateway = route.multipath[0].gateway;
    choice.src = route.prefsrc ? route.prefsrc : kernel_source;
    choice.metric = route.metric;
    choice.rule_priority = rule_priority;
    return choice;
}

std::string way_out(const Snapshot& snapshot, const Route& route) {
    std::string text = route.gateway ? "via " + route.gateway->str() + " " : std::string{};
    if (route.oif) text += "dev " + snapshot.kernel.link_name(route.oif) + " ";
    return text + fmt::format("({} route, table {})",
                              route.destination.length == 0 ? "default" : route.destination.str(),
                              table_name(route.table));
}

}  // namespace

Diagnosis explain_destination(const Snapshot& snapshot, Ipv4Address destination) {
    const KernelState& kernel = snapshot.kernel;
    RouteFlow flow;  // a locally generated packet, as from curl or ping on this host
    flow.destination = destination;
    const RouteResolution ours = resolve_route(kernel, flow);
    const Decision decision = decide(snapshot, destination, ours);
    auto kernel_answer = snapshot.kernel_answers.find(destination);
    std::optional<Ipv4Address> kernel_source;
    if (kernel_answer != snapshot.kernel_answers.end()) kernel_source = kernel_answer->second.prefsrc;

    Diagnosis diagnosis;
    diagnosis.destination = destination;
    diagnosis.notes = docker_notes(snapshot.docker);
    if (decision.kernel_disagrees) {
        diagnosis.notes.push_back(
            ours.error ? fmt::format("pathwhy's reading of the rules finds no route ({}); the "
                                     "kernel's answer is used", std::strerror(ours.error))
                       : "pathwhy's reading of the rules and routes differs from the kernel's "
                         "answer; the kernel's is used");
        if (ours.route)
            diagnosis.kernel_route = route_choice(snapshot, *ours.route, ours.rule_priority, std::nullopt);
    }

    if (decision.error || !decision.route_index) {
        diagnosis.verdict = (ours.route && ours.route->type == RouteType::blackhole)
                                ? Verdict::dropped
                                : Verdict::unreachable;
        diagnosis.findings.push_back(no_route_finding(snapshot, destination, ours, decision.error));
        diagnosis.headline = diagnosis.findings.back().summary;
        if (ours.route) diagnosis.route = route_choice(snapshot, *ours.route, ours.rule_priority, std::nullopt);
    } else {
        const Route& winner = kernel.routes[*decision.route_index];
        diagnosis.route = route_choice(snapshot, winner, decision.rule_priority, kernel_source);
        auto owner = leads_into_docker_bridge(snapshot, winner)
                         ? docker_bridge_owner(snapshot, winner.oif ? winner.oif
                                                                    : winner.multipath[0].ifindex)
                         : std::nullopt;
        const bool belongs_there =
            owner && owner->network && address_lives_on_network(snapshot, *owner->network, destination);
        if (owner && !belongs_there) {
            // What the destination would take if Docker's bridges did not exist: the route the
            // bridge displaced, which is where the peer really is.
            auto displaced = resolve_route_without(kernel, flow, [&](const Route& route) {
                return leads_into_docker_bridge(snapshot, route);
            });
            MisrouteEvidence evidence{destination, &winner, nullptr, *owner};
            if (!displaced.error && displaced.route_index)
                evidence.displaced = &kernel.routes[*displaced.route_index];
            diagnosis.verdict = Verdict::misrouted;
            diagnosis.findings.push_back(route_into_bridge_finding(snapshot, evidence));
            diagnosis.headline = diagnosis.findings.back().summary;
        } else if (owner) {
            diagnosis.headline = fmt::format("{} lives on Docker network {} and is routed into its "
                                             "bridge {}, as it should be", destination.str(),
                                             owner->network->name, owner->bridge);
        } else {
            diagnosis.headline = fmt::format("{} is routed {}", destination.str(), way_out(snapshot, winner));
        }
    }

    for (auto& finding : leaked_network_findings(snapshot)) diagnosis.findings.push_back(std::move(finding));
    return diagnosis;
}

Diagnosis explain_destination(const Snapshot& snapshot, Ipv4Address destination,
                              const Observation& observed) {
    Diagnosis diagnosis = explain_destination(snapshot, destination);
    explain_observation(snapshot, destination, observed, diagnosis);
    return diagnosis;
}

}  // namespace pathwhy
