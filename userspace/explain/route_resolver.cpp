// The lookup itself. Names in comments refer to the kernel functions each step mirrors, so a
// reader can check them against net/core/fib_rules.c, net/ipv4/fib_rules.c and fib_trie.c.
#include "explain/route_resolver.h"

#include <algorithm>
#include <cerrno>

namespace pathwhy {
namespace {

using Outcome = LookupStep::Outcome;

// Routes and rules select on the legacy TOS bits only (INET_DSCP_LEGACY_TOS_MASK).
constexpr std::uint8_t kLegacyTosMask = 0x1c;

bool tos_selects(std::uint8_t selector, std::uint8_t flow_tos) {
    return selector == 0 || selector == (flow_tos & kLegacyTosMask);
}

// `ip rule add fwmark 0x10` without a mask compares every bit: the kernel stores mask
// 0xffffffff then. Fixtures may leave the mask out, so apply the same default here.
std::uint32_t effective_mark_mask(const Rule& rule) {
    if (rule.fwmask) return rule.fwmask;
    return rule.fwmark ? 0xffffffffu : 0;
}

// fib_rule_match + fib4_rule_match, before `not` is applied.
bool selectors_match(const Rule& rule, const RouteFlow& flow) {
    const std::string& iif = flow.locally_generated() ? std::string("lo") : flow.iif;
    if (!rule.iif.empty() && rule.iif != iif) return false;
    if (!rule.oif.empty() && rule.oif != flow.oif) return false;
    if ((rule.fwmark ^ flow.fwmark) & effective_mark_mask(rule)) return false;
    if (rule.source && !rule.source->contains(flow.source.value_or(Ipv4Address{}))) return false;
    if (rule.destination && !rule.destination->contains(flow.destination)) return false;
    if (!tos_selects(rule.tos, flow.tos)) return false;
    if (rule.ip_proto && *rule.ip_proto != flow.ip_proto) return false;
    return true;
}

bool rule_matches(const Rule& rule, const RouteFlow& flow) {
    return selectors_match(rule, flow) != rule.invert;
}

// fib4_rule_action for the actions that fail the lookup outright.
int error_of_rule_action(RuleAction action) {
    switch (action) {
        case RuleAction::unreachable:
            return ENETUNREACH;
        case RuleAction::prohibit:
            return EACCES;
        default:
            return EINVAL;  // blackhole, and whatever the kernel does not know
    }
}

// fib_props[].error: the route types that end a table lookup with an error.
int error_of_route_type(RouteType type) {
    switch (type) {
        case RouteType::unreachable:
            return EHOSTUNREACH;
        case RouteType::prohibit:
            return EACCES;
        case RouteType::blackhole:
        case RouteType::nat:
            return EINVAL;
        default:
            return 0;
    }
}

bool uses_interface(const KernelState& state, const Route& route, const std::string& name) {
    if (route.multipath.empty()) return state.link_name(route.oif) == name;
    return std::any_of(route.multipath.begin(), route.multipath.end(),
                       [&](const Nexthop& hop) { return state.link_name(hop.ifindex) == name; });
}

struct TableAnswer {
    Outcome outcome = Outcome::no_route;
    std::optional<std::size_t> route_index;
    int error = 0;
};

// fib_table_lookup. The trie walks from the longest matching prefix to shorter ones; within one
// prefix it keeps routes ordered by TOS (highest first) and then metric (lowest first), ties in
// insertion order, which is the dump order we keep with a stable sort. A route whose TOS does not
// match, or whose nexthops all miss the flow's oif, is passed over; an error or throw route ends
// the table's lookup at once, without falling back to shorter prefixes.
TableAnswer look_up_table(const KernelState& state, std::uint32_t table, const RouteFlow& flow,
                          const RouteFilter& absent) {
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < state.routes.size(); ++i) {
        const Route& route = state.routes[i];
        if (route.table == table && route.destination.contains(flow.destination) &&
            !(absent && absent(route)))
            candidates.push_back(i);
    }
    std::stable_sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
        const Route& x = state.routes[a];
        const Route& y = state.routes[b];
        if (x.destination.length != y.destination.length)
            return x.destination.length > y.destination.length;
        if (x.tos != y.tos) return x.tos > y.tos;
        return x.metric < y.metric;
    });

    for (std::size_t index : candidates) {
        const Route& route = state.routes[index];
        if (!tos_selects(route.tos, flow.tos)) continue;
        if (route.type == RouteType::throw_) return {Outcome::thrown, index};
        if (int error = error_of_route_type(route.type))
            return {Outcome::route_error, index, error};
        if (!flow.oif.empty() && !uses_interface(state, route, flow.oif)) continue;
        return {Outcome::found, index};
    }
    return {};
}

// fib4_rule_suppress: `suppress_prefixlength N` rejects a result no longer than N, so that
// "lookup main suppress_prefixlength 0" takes main's specific routes but not its default.
bool suppressed_by(const Rule& rule, const Route& route) {
    return rule.suppress_prefixlength &&
           static_cast<std::uint32_t>(route.destination.length) <= *rule.suppress_prefixlength;
}

Rule lookup_rule(std::uint32_t priority, std::uint32_t table) {
    Rule rule;
    rule.priority = priority;
    rule.table = table;
    return rule;
}

std::vector<Rule> standard_rules() {
    return {lookup_rule(0, kTableLocal), lookup_rule(32766, kTableMain),
            lookup_rule(32767, kTableDefault)};
}

// ip_route_output_key_hash_rcu: a failed lookup for a device-bound sender is sent on that device
// as if on-link, unless the device is a VRF (an L3 master), whose tables are authoritative.
void apply_bound_device_fallback(const KernelState& state, const RouteFlow& flow,
                                 RouteResolution& resolution) {
    if (!resolution.error || flow.oif.empty()) return;
    const Link* link = state.link_by_name(flow.oif);
    if (link && link->kind == "vrf") return;
    resolution.error = 0;
    resolution.assumed_on_link = true;
}

// fib_rules_lookup: walk the rules; `goto` jumps to the first rule with the target priority
// (always later: the kernel refuses backward gotos, and one without a target is passed over).
RouteResolution resolve(const KernelState& state, const RouteFlow& flow,
                        const RouteFilter& absent) {
    RouteResolution resolution;
    const std::vector<Rule> rules = rules_in_lookup_order(state);
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const Rule& rule = rules[i];
        if (!rule_matches(rule, flow) || rule.action == RuleAction::nop) continue;
        LookupStep step;
        step.rule_priority = rule.priority;
        step.action = rule.action;

        if (rule.action == RuleAction::goto_rule) {
            auto target = std::find_if(rules.begin() + i + 1, rules.end(), [&](const Rule& r) {
                return r.priority == rule.goto_target;
            });
            if (target == rules.end()) continue;
            step.outcome = Outcome::jumped;
            resolution.steps.push_back(step);
            i = static_cast<std::size_t>(target - rules.begin()) - 1;  // the loop's ++i lands on it
            continue;
        }
        if (rule.action != RuleAction::to_table) {
            step.outcome = Outcome::rule_error;
            resolution.steps.push_back(step);
            resolution.error = error_of_rule_action(rule.action);
            resolution.rule_priority = rule.priority;
            apply_bound_device_fallback(state, flow, resolution);
            return resolution;
        }

        TableAnswer answer = look_up_table(state, rule.table, flow, absent);
        step.table = rule.table;
        step.route_index = answer.route_index;
        step.outcome = answer.outcome == Outcome::found &&
                               suppressed_by(rule, state.routes[*answer.route_index])
                           ? Outcome::suppressed
                           : answer.outcome;
        resolution.steps.push_back(step);
        if (step.outcome == Outcome::found || step.outcome == Outcome::route_error) {
            resolution.error = answer.error;
            resolution.route = state.routes[*answer.route_index];
            resolution.route_index = answer.route_index;
            resolution.rule_priority = rule.priority;
            resolution.table = rule.table;
            apply_bound_device_fallback(state, flow, resolution);
            return resolution;
        }
    }
    resolution.error = ENETUNREACH;
    apply_bound_device_fallback(state, flow, resolution);
    return resolution;
}

}  // namespace

std::vector<Rule> rules_in_lookup_order(const KernelState& state) {
    if (state.rules.empty()) return standard_rules();
    std::vector<Rule> rules = state.rules;
    // The kernel inserts a rule after those of equal priority: dump order breaks ties.
    std::stable_sort(rules.begin(), rules.end(),
                     [](const Rule& a, const Rule& b) { return a.priority < b.priority; });
    return rules;
}

RouteResolution resolve_route(const KernelState& state, const RouteFlow& flow) {
    return resolve(state, flow, nullptr);
}

RouteResolution resolve_route_without(const KernelState& state, const RouteFlow& flow,
                                      const RouteFilter& absent) {
    return resolve(state, flow, absent);
}

std::vector<const Route*> routes_containing(const KernelState& state, Ipv4Address address) {
    std::vector<const Route*> containing;
    for (const Route& route : state.routes)
        if (route.destination.contains(address)) containing.push_back(&route);
    std::stable_sort(containing.begin(), containing.end(), [](const Route* a, const Route* b) {
        return a->destination.length > b->destination.length;
    });
    return containing;
}

}  // namespace pathwhy
