// The firewall as pathwhy reads it — a Docker 20.10 host's `iptables-save` and `nft -j list
// ruleset`, recorded in a lab (tests/fixtures/iptables) — and the rule or policy it names for a
// packet that died in a hook.
#include <gtest/gtest.h>

#include <climits>

#include "common/error.h"
#include "explain/ruleset_verdict.h"
#include "kernel/iptables_save.h"
#include "kernel/nft_ruleset_json.h"
#include "support/observed_events.h"
#include "support/seed_fixture.h"

namespace pathwhy {
namespace {

constexpr const char* kBridgeA = "br-a674c9eabe8d";  // backend-45_default, 172.31.0.0/16
constexpr const char* kBridgeB = "br-fdb1070d7630";  // other_default, 192.168.0.0/20

Ruleset saved() {
    return parse_iptables_save(test::read_fixture("iptables/docker-20.10.iptables-save.txt"));
}

Ruleset from_nft() {
    return parse_nft_ruleset_json(test::read_fixture("iptables/docker-20.10.nft.json"));
}

const FirewallRule& rule_with(const FirewallChain& chain, const std::string& text) {
    for (const auto& rule : chain.rules)
        if (rule.text.find(text) != std::string::npos) return rule;
    throw std::runtime_error("no rule with " + text);
}

TEST(IptablesSave, TablesChainsAndPolicies) {
    const Ruleset ruleset = saved();
    EXPECT_EQ(ruleset.source, "iptables-save");
    ASSERT_NE(ruleset.table("filter"), nullptr);
    ASSERT_NE(ruleset.table("nat"), nullptr);
    const FirewallChain* forward = ruleset.table("filter")->chain("FORWARD");
    ASSERT_NE(forward, nullptr);
    EXPECT_EQ(forward->policy, "DROP");
    EXPECT_EQ(forward->hook, NetfilterHook::forward);
    EXPECT_EQ(forward->priority, 0);
    EXPECT_EQ(forward->rules.size(), 14u);
    const FirewallChain* isolation = ruleset.table("filter")->chain("DOCKER-ISOLATION-STAGE-2");
    ASSERT_NE(isolation, nullptr);
    EXPECT_EQ(isolation->policy, "");
    EXPECT_FALSE(isolation->hook);
    const FirewallChain* postrouting = ruleset.table("nat")->chain("POSTROUTING");
    EXPECT_EQ(postrouting->priority, 100);
    EXPECT_EQ(ruleset.table("nat")->chain("PREROUTING")->priority, -100);
}

TEST(IptablesSave, RuleFields) {
    const Ruleset ruleset = saved();
    const FirewallChain& forward = *ruleset.table("filter")->chain("FORWARD");
    const FirewallRule& established =
        rule_with(forward, std::string("-o ") + kBridgeB + " -m conntrack");
    ASSERT_TRUE(established.out_interface);
    EXPECT_EQ(established.out_interface->name, kBridgeB);
    EXPECT_FALSE(established.out_interface->negated);
    EXPECT_EQ(established.ct_states, (std::vector<std::string>{"RELATED", "ESTABLISHED"}));
    EXPECT_EQ(established.target, "ACCEPT");
    EXPECT_TRUE(established.unevaluated.empty());

    const FirewallRule& out = rule_with(forward, std::string("-i ") + kBridgeA + " ! -o");
    ASSERT_TRUE(out.out_interface);
    EXPECT_TRUE(out.out_interface->negated);

    const FirewallRule& published =
        rule_with(*ruleset.table("filter")->chain("DOCKER"), "--dport 80");
    EXPECT_EQ(published.destination->prefix.str(), "192.168.0.3/32");
    EXPECT_TRUE(published.in_interface->negated);
    EXPECT_EQ(published.protocol, "tcp");
    EXPECT_EQ(published.destination_ports, (std::pair<std::uint16_t, std::uint16_t>{80, 80}));

    const FirewallRule& dnat = rule_with(*ruleset.table("nat")->chain("DOCKER"), "DNAT");
    EXPECT_EQ(dnat.target, "DNAT");  // its --to-destination is the target's, not a match
    EXPECT_TRUE(dnat.unevaluated.empty());
    const FirewallRule& addrtype =
        rule_with(*ruleset.table("nat")->chain("PREROUTING"), "addrtype");
    EXPECT_EQ(addrtype.unevaluated, (std::vector<std::string>{"addrtype"}));
    EXPECT_EQ(addrtype.target, "DOCKER");
}

TEST(IptablesSave, QuotedCommentsFlagsAndGotos) {
    const Ruleset ruleset = parse_iptables_save(
        "*filter\n:INPUT ACCEPT [0:0]\n:X - [0:0]\n"
        "-A INPUT -p tcp -m tcp --syn -m comment --comment \"a \\\"quoted\\\" note\" -g X\n"
        "COMMIT\n");
    const FirewallRule& rule = ruleset.table("filter")->chain("INPUT")->rules.at(0);
    EXPECT_EQ(rule.target, "X");
    EXPECT_TRUE(rule.is_goto);
    EXPECT_EQ(rule.unevaluated, (std::vector<std::string>{"tcp --syn"}));
}

TEST(NftRuleset, ReadsTheSameDockerRules) {
    const Ruleset ruleset = from_nft();
    EXPECT_EQ(ruleset.source, "nft -j list ruleset");
    const FirewallChain* forward = ruleset.table("filter")->chain("FORWARD");
    ASSERT_NE(forward, nullptr);
    EXPECT_EQ(forward->policy, "DROP");
    EXPECT_EQ(forward->hook, NetfilterHook::forward);
    EXPECT_EQ(forward->rules.size(), saved().table("filter")->chain("FORWARD")->rules.size());
    const FirewallRule& drop = rule_with(
        *ruleset.table("filter")->chain("DOCKER-ISOLATION-STAGE-2"), std::string("-o ") + kBridgeB);
    EXPECT_EQ(drop.target, "DROP");
    EXPECT_EQ(drop.text, std::string("-A DOCKER-ISOLATION-STAGE-2 -o ") + kBridgeB + " -j DROP");
    // iptables-nft keeps conntrack as an xt match nft cannot show: unknown, not ignored.
    const FirewallRule& established = rule_with(*forward, "[xt conntrack]");
    EXPECT_EQ(established.unevaluated, (std::vector<std::string>{"xt conntrack"}));
    const FirewallRule& dnat = rule_with(*ruleset.table("nat")->chain("DOCKER"), "DNAT");
    EXPECT_EQ(dnat.destination_ports, (std::pair<std::uint16_t, std::uint16_t>{8080, 8080}));
    EXPECT_EQ(ruleset.table("nat")->chain("POSTROUTING")->priority, 100);
}

TEST(NftRuleset, RejectsWhatIsNotNftJson) {
    EXPECT_THROW(parse_nft_ruleset_json("{\"nope\": 1}"), Error);
    EXPECT_THROW(parse_nft_ruleset_json("table ip filter {"), Error);
}

PacketAtHook forwarded(const FlowTuple& flow, const std::string& in, const std::string& out,
                       std::optional<std::string> state = "NEW") {
    return {NetfilterHook::forward, flow, in, out, std::move(state)};
}

TEST(RulesetVerdict, TrafficBetweenTwoBridgeNetworksDiesInIsolation) {
    auto rule = find_dropping_rule(
        saved(), forwarded(test::icmp("172.31.0.2", "192.168.0.2", 7), kBridgeA, kBridgeB),
        test::kEntryPriority, test::kExitPriority);
    ASSERT_TRUE(rule);
    EXPECT_EQ(rule->table, "filter");
    EXPECT_EQ(rule->chain, "DOCKER-ISOLATION-STAGE-2");
    EXPECT_EQ(rule->rule, std::string("-A DOCKER-ISOLATION-STAGE-2 -o ") + kBridgeB + " -j DROP");
    EXPECT_EQ(rule->chains, (std::vector<std::string>{"FORWARD", "DOCKER-ISOLATION-STAGE-1",
                                                      "DOCKER-ISOLATION-STAGE-2"}));
    EXPECT_TRUE(rule->certain);
    EXPECT_FALSE(rule->by_policy);
}

TEST(RulesetVerdict, AnUnpublishedPortFromOutsideMeetsThePolicy) {
    auto rule = find_dropping_rule(
        saved(), forwarded(test::tcp("172.18.2.129", 40000, "192.168.0.2", 22), "uplink", kBridgeB),
        test::kEntryPriority, test::kExitPriority);
    ASSERT_TRUE(rule);
    EXPECT_TRUE(rule->by_policy);
    EXPECT_EQ(rule->chain, "FORWARD");
    EXPECT_EQ(rule->rule, "policy DROP");
    EXPECT_TRUE(rule->certain);
}

TEST(RulesetVerdict, APublishedPortOrAReplyIsNotDroppedByAnyRule) {
    EXPECT_FALSE(find_dropping_rule(
        saved(), forwarded(test::tcp("172.18.2.129", 40000, "192.168.0.3", 80), "uplink", kBridgeB),
        test::kEntryPriority, test::kExitPriority));
    EXPECT_FALSE(find_dropping_rule(saved(),
                                    forwarded(test::tcp("172.18.2.129", 40000, "192.168.0.2", 22),
                                              "uplink", kBridgeB, "ESTABLISHED"),
                                    test::kEntryPriority, test::kExitPriority));
}

TEST(RulesetVerdict, UnknownConditionsMakeItLikelyNotCertain) {
    // Without the conntrack view the RELATED,ESTABLISHED ACCEPT may or may not have matched.
    auto rule = find_dropping_rule(saved(),
                                   forwarded(test::tcp("172.18.2.129", 40000, "192.168.0.2", 22),
                                             "uplink", kBridgeB, std::nullopt),
                                   test::kEntryPriority, test::kExitPriority);
    ASSERT_TRUE(rule);
    EXPECT_EQ(rule->rule, "policy DROP");
    EXPECT_FALSE(rule->certain);
    // nft shows conntrack as an xt match: the isolation drop is still found.
    auto isolation = find_dropping_rule(
        from_nft(), forwarded(test::icmp("172.31.0.2", "192.168.0.2", 7), kBridgeA, kBridgeB),
        test::kEntryPriority, test::kExitPriority);
    ASSERT_TRUE(isolation);
    EXPECT_EQ(isolation->chain, "DOCKER-ISOLATION-STAGE-2");
}

TEST(RulesetVerdict, OnlyChainsBetweenTheTracersProgramsCount) {
    // A window that excludes filter's priority 0 leaves no rule to blame.
    EXPECT_FALSE(find_dropping_rule(
        saved(), forwarded(test::icmp("172.31.0.2", "192.168.0.2", 7), kBridgeA, kBridgeB), -200,
        -1));
}

TEST(RulesetVerdict, TablesBetweenPriorities) {
    EXPECT_EQ(
        iptables_tables_between(NetfilterHook::forward, test::kEntryPriority, test::kExitPriority),
        (std::vector<std::string>{"mangle", "filter", "security"}));
    EXPECT_EQ(iptables_tables_between(NetfilterHook::prerouting, INT_MIN, INT_MAX),
              (std::vector<std::string>{"raw", "mangle"}));
    EXPECT_EQ(iptables_tables_between(NetfilterHook::local_out, -1, 10),
              (std::vector<std::string>{"filter"}));
}

}  // namespace
}  // namespace pathwhy
