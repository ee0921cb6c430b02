// A pure re-implementation of the kernel's IPv4 route lookup over a KernelState: policy rules in
// priority order (net/core/fib_rules.c, net/ipv4/fib_rules.c), then longest-prefix match inside
// each table (net/ipv4/fib_trie.c). No syscalls: it runs on recordings and fixtures, and answers
// what the kernel cannot tell us, i.e. which rules and tables were consulted and what would win
// if some routes were absent. ask_kernel_route() remains the authority on live systems.
//
// Not modelled, because KernelState does not carry them: uid/port-range/l3mdev/tun_id rule
// selectors and suppress_ifgroup, dead nexthops, net.ipv4.conf.*.ignore_routes_with_linkdown
// (off by default, so "linkdown" routes are used, as the kernel does), and which leg of a
// multipath route the hash picks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "model/kernel_state.h"
#include "model/route_flow.h"

namespace pathwhy {

// One rule the lookup acted on, in order of evaluation: "rule 32766 -> table main: found
// 172.31.0.0/16". Rules whose selectors did not match, and `nop` rules, leave no step.
struct LookupStep {
    enum class Outcome {
        found,        // the table gave a usable route: the lookup ends with it
        no_route,     // nothing in the table contains the destination (or no such table): next rule
        thrown,       // a `throw` route matched: next rule
        suppressed,   // a route matched but is no longer than suppress_prefixlength: next rule
        route_error,  // an unreachable/blackhole/prohibit route matched: the lookup ends, failed
        rule_error,   // the rule's own action is unreachable/blackhole/prohibit: the lookup ends
        jumped,       // a `goto` rule: evaluation continues at its target
    };

    std::uint32_t rule_priority = 0;
    RuleAction action = RuleAction::to_table;
    std::uint32_t table = 0;  // the table looked up; 0 for actions other than to_table
    Outcome outcome = Outcome::no_route;
    std::optional<std::size_t> route_index;  // into KernelState::routes, for outcomes with a route
};

struct RouteResolution {
    // 0, or the positive errno the kernel would answer (as KernelRouteAnswer::error):
    // ENETUNREACH no rule produced a route or an `unreachable` rule, EHOSTUNREACH unreachable
    // route, EACCES prohibit, EINVAL blackhole.
    int error = 0;
    // The route that decided, the winner or the error route that failed the lookup; absent when
    // a rule action or the lack of any route decided. route_index is its position in
    // KernelState::routes, to name it in a "what if it were absent" question.
    std::optional<Route> route;
    std::optional<std::size_t> route_index;
    std::optional<std::uint32_t> rule_priority;  // the rule that ended the lookup
    std::uint32_t table = 0;                     // the table `route` came from; 0 without one
    // The flow has an oif and the lookup failed: the kernel then assumes the destination is on
    // that link and sends there anyway (net/ipv4/route.c, "Apparently, routing tables are
    // wrong"). error is then 0; route, rule_priority and steps still describe the failed lookup.
    bool assumed_on_link = false;
    std::vector<LookupStep> steps;
};

// Says whether a route should be treated as absent. It is handed the elements of
// KernelState::routes themselves, so comparing addresses (&route == &state.routes[i]) works.
using RouteFilter = std::function<bool(const Route&)>;

// The route the kernel takes for `flow`.
RouteResolution resolve_route(const KernelState& state, const RouteFlow& flow);

// The route the kernel would take if the routes `absent` selects did not exist. For example, the
// runner-up to a Docker bridge's 172.31.0.0/16 that swallows a peer's address:
//   auto taken = resolve_route(state, flow);
//   auto runner_up = resolve_route_without(state, flow, [&](const Route& r) {
//       return &r == &state.routes[*taken.route_index]; });
RouteResolution resolve_route_without(const KernelState& state, const RouteFlow& flow,
                                      const RouteFilter& absent);

// The rules in the order the kernel evaluates them; with none at all (a fixture may have none)
// the kernel's standard three: 0 local, 32766 main, 32767 default.
std::vector<Rule> rules_in_lookup_order(const KernelState& state);

// Every route of every table whose destination contains `address`, most specific first (stable
// otherwise): the evidence behind a resolution.
std::vector<const Route*> routes_containing(const KernelState& state, Ipv4Address address);

}  // namespace pathwhy
