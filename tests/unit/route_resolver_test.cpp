// The pure IPv4 route resolver against hand-built kernel states: rule selection and actions,
// longest-prefix and metric order inside a table, error and throw routes, the wg-quick
// suppress_prefixlength pattern, and "what would win without these routes".
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>

#include "explain/route_resolver.h"

namespace pathwhy {
namespace {

constexpr int kLo = 1, kEth0 = 2, kBridge = 3, kWg0 = 4;
constexpr std::uint32_t kTable100 = 100, kWireguardTable = 51820;

Ipv4Address ip(const char* text) { return *Ipv4Address::parse(text); }
Ipv4Cidr cidr(const char* text) { return *Ipv4Cidr::parse(text); }

Route unicast(std::uint32_t table, const char* destination, int oif, const char* gateway = nullptr,
              std::uint32_t metric = 0) {
    Route route;
    route.table = table;
    route.destination = cidr(destination);
    route.oif = oif;
    if (gateway) route.gateway = ip(gateway);
    route.metric = metric;
    return route;
}

Route typed(std::uint32_t table, const char* destination, RouteType type) {
    Route route;
    route.table = table;
    route.destination = cidr(destination);
    route.type = type;
    return route;
}

Rule lookup(std::uint32_t priority, std::uint32_t table) {
    Rule rule;
    rule.priority = priority;
    rule.table = table;
    return rule;
}

Rule with_action(std::uint32_t priority, RuleAction action) {
    Rule rule;
    rule.priority = priority;
    rule.action = action;
    return rule;
}

std::vector<Rule> standard_rules() {
    return {lookup(0, kTableLocal), lookup(32766, kTableMain), lookup(32767, kTableDefault)};
}

RouteFlow to(const char* destination) {
    RouteFlow flow;
    flow.destination = ip(destination);
    return flow;
}

Link link(int ifindex, const char* name, const char* kind = "") {
    Link link;
    link.ifindex = ifindex;
    link.name = name;
    link.kind = kind;
    return link;
}

// A host like seed 000's: eth0 towards the VPC gateway, a Docker bridge without ports, a
// WireGuard interface, and the routes the kernel adds for their addresses.
KernelState host() {
    KernelState state;
    state.links = {link(kLo, "lo"), link(kEth0, "eth0", ""), link(kBridge, "br-x", "bridge"),
                   link(kWg0, "wg0", "wireguard")};
    Route local_eth0 = unicast(kTableLocal, "172.18.2.172/32", kEth0);
    local_eth0.type = RouteType::local;
    Route bridge = unicast(kTableMain, "172.31.0.0/16", kBridge);
    bridge.linkdown = true;
    state.routes = {local_eth0, unicast(kTableMain, "0.0.0.0/0", kEth0, "172.18.2.129"),
                    unicast(kTableMain, "172.18.2.128/26", kEth0), bridge};
    state.rules = standard_rules();
    return state;
}

// "rule 32766 table 254 found 172.31.0.0/16" and so on: the steps in one comparable string.
std::string describe_steps(const KernelState& state, const RouteResolution& resolution) {
    std::string text;
    for (const LookupStep& step : resolution.steps) {
        static const char* const kOutcomes[] = {"found",       "no_route",   "thrown", "suppressed",
                                                "route_error", "rule_error", "jumped"};
        text += fmt::format("{}rule {} table {} {}", text.empty() ? "" : "; ", step.rule_priority,
                            step.table, kOutcomes[static_cast<int>(step.outcome)]);
        if (step.route_index) text += " " + state.routes[*step.route_index].destination.str();
    }
    return text;
}

TEST(KernelRouteResolver, WithoutRulesBehavesAsTheStandardThree) {
    KernelState state = host();
    state.rules.clear();
    RouteResolution resolution = resolve_route(state, to("172.31.151.55"));
    EXPECT_EQ(resolution.error, 0);
    ASSERT_TRUE(resolution.route);
    EXPECT_EQ(resolution.route->destination, cidr("172.31.0.0/16"));
    EXPECT_EQ(resolution.route->oif, kBridge);
    EXPECT_EQ(resolution.table, kTableMain);
    EXPECT_EQ(resolution.rule_priority, 32766u);
    EXPECT_EQ(describe_steps(state, resolution),
              "rule 0 table 255 no_route; rule 32766 table 254 found 172.31.0.0/16");
    EXPECT_EQ(rules_in_lookup_order(state).size(), 3u);
}

TEST(KernelRouteResolver, LinkdownRoutesStillWin) {
    // ignore_routes_with_linkdown is off by default: a bridge without carrier keeps swallowing.
    KernelState state = host();
    RouteResolution resolution = resolve_route(state, to("172.31.151.55"));
    ASSERT_TRUE(resolution.route);
    EXPECT_TRUE(resolution.route->linkdown);
    EXPECT_EQ(resolution.route->destination, cidr("172.31.0.0/16"));
}

TEST(KernelRouteResolver, LongestPrefixWinsBetweenSlash26Slash16AndDefault) {
    KernelState state = host();
    state.routes.push_back(unicast(kTableMain, "172.31.151.0/26", kEth0, "172.18.2.129"));
    EXPECT_EQ(resolve_route(state, to("172.31.151.55")).route->destination,
              cidr("172.31.151.0/26"));
    EXPECT_EQ(resolve_route(state, to("172.31.151.100")).route->destination, cidr("172.31.0.0/16"));
    EXPECT_EQ(resolve_route(state, to("8.8.8.8")).route->destination, cidr("0.0.0.0/0"));
}

TEST(KernelRouteResolver, WithoutTheWinnerTheRunnerUpIsNamed) {
    KernelState state = host();
    RouteResolution taken = resolve_route(state, to("172.31.151.55"));
    ASSERT_TRUE(taken.route_index);
    RouteResolution runner_up = resolve_route_without(
        state, to("172.31.151.55"),
        [&](const Route& route) { return &route == &state.routes[*taken.route_index]; });
    ASSERT_TRUE(runner_up.route);
    EXPECT_EQ(runner_up.route->destination, cidr("0.0.0.0/0"));
    EXPECT_EQ(runner_up.route->gateway, ip("172.18.2.129"));
    EXPECT_EQ(runner_up.route->oif, kEth0);
}

TEST(KernelRouteResolver, RoutesContainingAnAddressMostSpecificFirst) {
    KernelState state = host();
    std::vector<const Route*> evidence = routes_containing(state, ip("172.31.151.55"));
    ASSERT_EQ(evidence.size(), 2u);
    EXPECT_EQ(evidence[0]->destination, cidr("172.31.0.0/16"));
    EXPECT_EQ(evidence[1]->destination, cidr("0.0.0.0/0"));
    EXPECT_EQ(evidence[0], &state.routes[3]);
}

TEST(KernelRouteResolver, EqualPrefixesGoToTheLowestMetric) {
    KernelState state = host();
    state.routes.push_back(unicast(kTableMain, "10.40.0.0/16", kEth0, "172.18.2.129", 100));
    state.routes.push_back(unicast(kTableMain, "10.40.0.0/16", kWg0, nullptr, 50));
    RouteResolution resolution = resolve_route(state, to("10.40.1.1"));
    ASSERT_TRUE(resolution.route);
    EXPECT_EQ(resolution.route->metric, 50u);
    EXPECT_EQ(resolution.route->oif, kWg0);

    RouteResolution without_best = resolve_route_without(
        state, to("10.40.1.1"), [](const Route& route) { return route.metric == 50; });
    EXPECT_EQ(without_best.route->metric, 100u);
}

TEST(KernelRouteResolver, RouteTosSelectsMatchingFlowsFirst) {
    KernelState state = host();
    Route tos_route = unicast(kTableMain, "10.41.0.0/16", kWg0);
    tos_route.tos = 0x10;
    state.routes.push_back(unicast(kTableMain, "10.41.0.0/16", kEth0));
    state.routes.push_back(tos_route);
    RouteFlow low_delay = to("10.41.0.1");
    low_delay.tos = 0x10;
    EXPECT_EQ(resolve_route(state, low_delay).route->oif, kWg0);
    EXPECT_EQ(resolve_route(state, to("10.41.0.1")).route->oif, kEth0);
}

TEST(KernelRouteResolver, LocalTableAtPriorityZeroComesFirst) {
    KernelState state = host();
    RouteResolution resolution = resolve_route(state, to("172.18.2.172"));
    ASSERT_TRUE(resolution.route);
    EXPECT_EQ(resolution.route->type, RouteType::local);
    EXPECT_EQ(resolution.table, kTableLocal);
    EXPECT_EQ(resolution.rule_priority, 0u);
}

TEST(KernelRouteResolver, ErrorRoutesEndTheLookupWithTheirErrno) {
    KernelState state = host();
    state.routes.push_back(typed(kTableMain, "10.99.0.0/16", RouteType::unreachable));
    state.routes.push_back(typed(kTableMain, "10.98.0.0/16", RouteType::blackhole));
    state.routes.push_back(typed(kTableMain, "10.97.0.0/16", RouteType::prohibit));
    state.routes.push_back(unicast(kTableMain, "10.99.5.0/24", kEth0, "172.18.2.129"));

    RouteResolution unreachable = resolve_route(state, to("10.99.1.1"));
    EXPECT_EQ(unreachable.error, EHOSTUNREACH);
    ASSERT_TRUE(unreachable.route);
    EXPECT_EQ(unreachable.route->type, RouteType::unreachable);
    EXPECT_EQ(unreachable.table, kTableMain);
    EXPECT_EQ(resolve_route(state, to("10.98.1.1")).error, EINVAL);
    EXPECT_EQ(resolve_route(state, to("10.97.1.1")).error, EACCES);
    // A longer unicast prefix still beats the unreachable /16; the default never gets a chance.
    EXPECT_EQ(resolve_route(state, to("10.99.5.1")).route->destination, cidr("10.99.5.0/24"));
}

TEST(KernelRouteResolver, ThrowContinuesWithTheNextRule) {
    KernelState state = host();
    state.rules.push_back(lookup(100, kTable100));
    state.routes.push_back(typed(kTable100, "10.80.0.0/16", RouteType::throw_));
    state.routes.push_back(unicast(kTable100, "0.0.0.0/0", kWg0));

    RouteResolution thrown = resolve_route(state, to("10.80.1.1"));
    EXPECT_EQ(thrown.error, 0);
    EXPECT_EQ(thrown.table, kTableMain);
    EXPECT_EQ(thrown.route->gateway, ip("172.18.2.129"));
    EXPECT_EQ(describe_steps(state, thrown),
              "rule 0 table 255 no_route; rule 100 table 100 thrown 10.80.0.0/16; "
              "rule 32766 table 254 found 0.0.0.0/0");
    EXPECT_EQ(resolve_route(state, to("10.81.1.1")).route->oif, kWg0);
}

TEST(KernelRouteResolver, FwmarkRulesCompareUnderTheirMask) {
    KernelState state = host();
    Rule marked = lookup(100, kTable100);
    marked.fwmark = 0x2a;
    marked.fwmask = 0xff;
    state.rules.push_back(marked);
    state.routes.push_back(unicast(kTable100, "0.0.0.0/0", kWg0));

    RouteFlow flow = to("8.8.8.8");
    EXPECT_EQ(resolve_route(state, flow).route->oif, kEth0);
    flow.fwmark = 0x12a;  // bits outside the mask do not matter
    EXPECT_EQ(resolve_route(state, flow).route->oif, kWg0);
    flow.fwmark = 0x2b;
    EXPECT_EQ(resolve_route(state, flow).route->oif, kEth0);
}

TEST(KernelRouteResolver, FwmarkWithoutMaskComparesEveryBit) {
    KernelState state = host();
    Rule marked = lookup(100, kTable100);
    marked.fwmark = 0x2a;
    state.rules.push_back(marked);
    state.routes.push_back(unicast(kTable100, "0.0.0.0/0", kWg0));
    RouteFlow flow = to("8.8.8.8");
    flow.fwmark = 0x12a;
    EXPECT_EQ(resolve_route(state, flow).route->oif, kEth0);
    flow.fwmark = 0x2a;
    EXPECT_EQ(resolve_route(state, flow).route->oif, kWg0);
}

TEST(KernelRouteResolver, FromAndToSelectors) {
    KernelState state = host();
    Rule from = lookup(200, 1000);
    from.source = cidr("172.18.2.160/27");
    Rule towards = lookup(210, kTable100);
    towards.destination = cidr("10.90.0.0/16");
    state.rules.push_back(from);
    state.rules.push_back(towards);
    state.routes.push_back(unicast(1000, "0.0.0.0/0", kWg0));
    state.routes.push_back(unicast(kTable100, "10.90.0.0/16", kBridge));

    // Without a chosen source the kernel looks up from 0.0.0.0: "from" rules do not match.
    RouteFlow flow = to("8.8.8.8");
    EXPECT_EQ(resolve_route(state, flow).table, kTableMain);
    flow.source = ip("172.18.2.172");
    EXPECT_EQ(resolve_route(state, flow).table, 1000u);
    EXPECT_EQ(resolve_route(state, to("10.90.3.3")).table, kTable100);
}

TEST(KernelRouteResolver, WireguardSuppressPrefixlengthPattern) {
    // wg-quick: "ip rule add table main suppress_prefixlength 0" then
    // "ip rule add not fwmark 51820 table 51820", with its own packets marked 51820.
    KernelState state = host();
    Rule main_without_default = lookup(32764, kTableMain);
    main_without_default.suppress_prefixlength = 0;
    Rule unmarked_to_tunnel = lookup(32765, kWireguardTable);
    unmarked_to_tunnel.invert = true;
    unmarked_to_tunnel.fwmark = 51820;
    unmarked_to_tunnel.fwmask = 0xffffffff;
    state.rules.push_back(main_without_default);
    state.rules.push_back(unmarked_to_tunnel);
    state.routes.push_back(unicast(kWireguardTable, "0.0.0.0/0", kWg0));

    RouteResolution tunnelled = resolve_route(state, to("8.8.8.8"));
    EXPECT_EQ(tunnelled.table, kWireguardTable);
    EXPECT_EQ(tunnelled.route->oif, kWg0);
    EXPECT_EQ(describe_steps(state, tunnelled),
              "rule 0 table 255 no_route; rule 32764 table 254 suppressed 0.0.0.0/0; "
              "rule 32765 table 51820 found 0.0.0.0/0");

    RouteFlow wireguard_itself = to("8.8.8.8");
    wireguard_itself.fwmark = 51820;
    RouteResolution underlay = resolve_route(state, wireguard_itself);
    EXPECT_EQ(underlay.rule_priority, 32766u);
    EXPECT_EQ(underlay.route->oif, kEth0);

    // Specific main routes are longer than /0, so the suppressing rule keeps them.
    RouteResolution lan = resolve_route(state, to("172.18.2.130"));
    EXPECT_EQ(lan.rule_priority, 32764u);
    EXPECT_EQ(lan.route->destination, cidr("172.18.2.128/26"));
}

TEST(KernelRouteResolver, GotoSkipsToItsTargetAndAMissingTargetIsPassedOver) {
    KernelState state = host();
    Rule jump = with_action(270, RuleAction::goto_rule);
    jump.destination = cidr("10.202.0.0/16");
    jump.goto_target = 400;
    Rule dangling = with_action(280, RuleAction::goto_rule);
    dangling.goto_target = 450;
    state.rules.push_back(jump);
    state.rules.push_back(dangling);
    state.rules.push_back(with_action(300, RuleAction::unreachable));
    state.rules.push_back(lookup(400, kTable100));
    state.routes.push_back(unicast(kTable100, "10.202.0.0/16", kWg0));

    RouteResolution jumped = resolve_route(state, to("10.202.1.1"));
    EXPECT_EQ(jumped.error, 0);
    EXPECT_EQ(jumped.table, kTable100);
    EXPECT_EQ(describe_steps(state, jumped),
              "rule 0 table 255 no_route; rule 270 table 0 jumped; "
              "rule 400 table 100 found 10.202.0.0/16");

    RouteResolution refused = resolve_route(state, to("10.9.9.9"));
    EXPECT_EQ(refused.error, ENETUNREACH);
    EXPECT_EQ(refused.rule_priority, 300u);
    EXPECT_FALSE(refused.route);
    EXPECT_EQ(refused.steps.back().outcome, LookupStep::Outcome::rule_error);
}

TEST(KernelRouteResolver, RuleActionsBlackholeAndProhibit) {
    KernelState state = host();
    Rule blackhole = with_action(10, RuleAction::blackhole);
    blackhole.destination = cidr("10.1.0.0/16");
    Rule prohibit = with_action(11, RuleAction::prohibit);
    prohibit.destination = cidr("10.2.0.0/16");
    state.rules.push_back(blackhole);
    state.rules.push_back(prohibit);
    EXPECT_EQ(resolve_route(state, to("10.1.1.1")).error, EINVAL);
    EXPECT_EQ(resolve_route(state, to("10.2.1.1")).error, EACCES);
    EXPECT_EQ(resolve_route(state, to("10.3.1.1")).error, 0);
}

TEST(KernelRouteResolver, NotInvertsTheSelectors) {
    KernelState state = host();
    Rule not_from_lan = lookup(100, kTable100);
    not_from_lan.invert = true;
    not_from_lan.source = cidr("172.18.2.128/26");
    state.rules.push_back(not_from_lan);
    state.routes.push_back(unicast(kTable100, "0.0.0.0/0", kWg0));

    RouteFlow flow = to("8.8.8.8");  // source 0.0.0.0 is not in the LAN: the inverted rule matches
    EXPECT_EQ(resolve_route(state, flow).table, kTable100);
    flow.source = ip("172.18.2.172");
    EXPECT_EQ(resolve_route(state, flow).table, kTableMain);
}

TEST(KernelRouteResolver, InputInterfaceAndIpProtoSelectors) {
    KernelState state = host();
    Rule from_eth0 = lookup(100, kTable100);
    from_eth0.iif = "eth0";
    Rule local_tcp = lookup(110, 1000);
    local_tcp.iif = "lo";
    local_tcp.ip_proto = 6;
    state.rules.push_back(from_eth0);
    state.rules.push_back(local_tcp);
    state.routes.push_back(unicast(kTable100, "0.0.0.0/0", kWg0));
    state.routes.push_back(unicast(1000, "0.0.0.0/0", kBridge));

    RouteFlow flow = to("8.8.8.8");
    EXPECT_EQ(resolve_route(state, flow).table, kTableMain);
    flow.ip_proto = 6;
    EXPECT_EQ(resolve_route(state, flow).table, 1000u);
    flow.iif = "eth0";  // forwarded, not locally generated: "iif lo" no longer matches
    EXPECT_EQ(resolve_route(state, flow).table, kTable100);
}

TEST(KernelRouteResolver, BoundDeviceSkipsOtherDevicesAndFallsBackOnLink) {
    KernelState state = host();
    state.routes.push_back(unicast(kTableMain, "10.50.0.0/16", kWg0));
    state.routes.push_back(typed(kTableMain, "10.99.0.0/16", RouteType::unreachable));

    RouteFlow bound = to("10.50.1.1");
    bound.oif = "eth0";
    RouteResolution resolution = resolve_route(state, bound);
    EXPECT_EQ(resolution.route->destination, cidr("0.0.0.0/0"));
    EXPECT_FALSE(resolution.assumed_on_link);

    bound.destination = ip("10.99.1.1");
    RouteResolution on_link = resolve_route(state, bound);
    EXPECT_EQ(on_link.error, 0);
    EXPECT_TRUE(on_link.assumed_on_link);
    EXPECT_EQ(on_link.route->type, RouteType::unreachable);
}

TEST(KernelRouteResolver, MultipathRouteMatchesABoundDeviceOnAnyLeg) {
    KernelState state = host();
    Route multipath = unicast(kTableMain, "10.60.0.0/16", 0);
    multipath.multipath = {Nexthop{ip("172.18.2.129"), kEth0, 1, false},
                           Nexthop{std::nullopt, kWg0, 3, false}};
    state.routes.push_back(multipath);
    RouteFlow bound = to("10.60.0.1");
    bound.oif = "wg0";
    EXPECT_EQ(resolve_route(state, bound).route->destination, cidr("10.60.0.0/16"));
}

TEST(KernelRouteResolver, RulesOfEqualPriorityKeepDumpOrderAndNopDoesNothing) {
    KernelState state = host();
    state.rules.push_back(with_action(100, RuleAction::nop));
    state.rules.push_back(lookup(200, kTable100));
    state.rules.push_back(lookup(200, 1000));
    state.routes.push_back(unicast(kTable100, "10.70.0.0/24", kWg0));
    state.routes.push_back(unicast(1000, "10.70.0.0/24", kBridge));
    EXPECT_EQ(resolve_route(state, to("10.70.0.9")).table, kTable100);
    EXPECT_EQ(rules_in_lookup_order(state)[2].table, kTable100);
}

TEST(KernelRouteResolver, NoRouteAtAll) {
    KernelState state;
    RouteResolution resolution = resolve_route(state, to("8.8.8.8"));
    EXPECT_EQ(resolution.error, ENETUNREACH);
    EXPECT_FALSE(resolution.route);
    EXPECT_FALSE(resolution.rule_priority);
    EXPECT_EQ(describe_steps(state, resolution),
              "rule 0 table 255 no_route; rule 32766 table 254 no_route; "
              "rule 32767 table 253 no_route");
}

TEST(KernelRouteResolver, AThousandRoutesAndTwoHundredBridgesResolveQuickly) {
    KernelState state = host();
    for (int i = 0; i < 200; ++i) {
        state.links.push_back(link(100 + i, fmt::format("br-{:012x}", i).c_str(), "bridge"));
        state.routes.push_back(
            unicast(kTableMain, fmt::format("10.{}.0.0/16", i).c_str(), 100 + i));
    }
    for (int i = 0; i < 800; ++i)
        state.routes.push_back(
            unicast(kTable100, fmt::format("192.{}.{}.0/24", i / 256, i % 256).c_str(), kEth0));
    state.rules.push_back(lookup(100, kTable100));

    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 200; ++i) {
        RouteFlow flow = to(fmt::format("10.{}.1.1", i).c_str());
        flow.oif = fmt::format("br-{:012x}", i);
        ASSERT_EQ(resolve_route(state, flow).route->oif, 100 + i);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

}  // namespace
}  // namespace pathwhy
