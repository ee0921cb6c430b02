#include "explain/no_route.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "explain/route_into_bridge.h"

namespace pathwhy {

namespace {

std::string outcome_text(const KernelState& kernel, const LookupStep& step) {
    auto route = [&] {
        return step.route_index ? describe_route(kernel, kernel.routes[*step.route_index]) : "";
    };
    switch (step.outcome) {
        case LookupStep::Outcome::found: return "found " + route();
        case LookupStep::Outcome::no_route: return "no matching route";
        case LookupStep::Outcome::thrown: return "throw route " + route() + ": next rule";
        case LookupStep::Outcome::suppressed:
            return "matched " + route() + " but suppress_prefixlength rejects it";
        case LookupStep::Outcome::route_error: return "matched " + route() + ": lookup fails";
        case LookupStep::Outcome::rule_error: return "the rule itself refuses the packet";
        case LookupStep::Outcome::jumped: return "goto";
    }
    return "";
}

std::string rule_action_text(const LookupStep& step) {
    switch (step.action) {
        case RuleAction::to_table: return "table " + table_name(step.table);
        case RuleAction::goto_rule: return "goto";
        case RuleAction::blackhole: return "blackhole";
        case RuleAction::unreachable: return "unreachable";
        case RuleAction::prohibit: return "prohibit";
        case RuleAction::nop: return "nop";
        case RuleAction::other: return "other action";
    }
    return "";
}

}  // namespace

std::vector<std::string> describe_lookup_steps(const KernelState& kernel,
                                               const RouteResolution& resolution) {
    std::vector<std::string> lines;
    for (const auto& step : resolution.steps)
        lines.push_back(fmt::format("rule {} → {}: {}", step.rule_priority, rule_action_text(step),
                                    outcome_text(kernel, step)));
    return lines;
}

Finding no_route_finding(const Snapshot& snapshot, Ipv4Address destination,
                         const RouteResolution& resolution, int error) {
    const std::string dst = destination.str();
    Finding finding;
    finding.kind = "no-route";
    finding.severity = Severity::critical;
    finding.evidence = describe_lookup_steps(snapshot.kernel, resolution);

    if (resolution.route) {
        const Route& route = *resolution.route;
        const std::string what = describe_route(snapshot.kernel, route);
        const char* consequence = route.type == RouteType::blackhole
                                      ? "packets are discarded silently"
                                  : route.type == RouteType::prohibit
                                      ? "senders get \"Permission denied\" (ICMP prohibited)"
                                      : "senders get \"No route to host\"";
        finding.summary = fmt::format("{} matches {} route {}: {}", dst, route_type_name(route.type),
                                      what, consequence);
        finding.fix = {fmt::format("# if that route is not intended:"),
                       fmt::format("ip route del {} {} table {}", route_type_name(route.type),
                                   route.destination.str(), table_name(route.table))};
    } else if (resolution.rule_priority &&
               !resolution.steps.empty() &&
               resolution.steps.back().outcome == LookupStep::Outcome::rule_error) {
        finding.summary = fmt::format("{} is refused by policy rule {} ({})", dst,
                                      *resolution.rule_priority,
                                      rule_action_text(resolution.steps.back()));
        finding.fix = {"# if that rule is not intended:",
                       fmt::format("ip rule del priority {}", *resolution.rule_priority)};
    } else {
        finding.summary = fmt::format("no route to {}: no table the rules consult has a route that "
                                      "contains it, and none has a default route", dst);
        finding.fix = {"# add a route towards it (the next hop is yours to name):",
                       fmt::format("ip route add {}/32 via NEXT_HOP dev INTERFACE", dst)};
    }
    if (error && error != ENETUNREACH && !resolution.route)
        finding.evidence.push_back(fmt::format("the kernel answers: {}", std::strerror(error)));
    finding.prevent = {"# make the route part of the host's network configuration "
                       "(systemd-networkd, netplan, ifupdown) so it survives reboots"};
    return finding;
}

}  // namespace pathwhy
