// The scenario catalogue without a lab: every definition is complete and findable by its id, the
// probes are bounded, and the expectation check accepts exactly a finding of the right kind that
// names everything it must.
#include <gtest/gtest.h>

#include <set>

#include "scenario/catalog.h"
#include "scenario/expectation.h"

namespace pathwhy::scenario {
namespace {

TEST(ScenarioCatalog, IdsAreThreeDigitSeedNumbersInOrderAndUnique) {
    std::set<std::string> seen;
    std::string previous;
    for (const auto& scenario : all_scenarios()) {
        EXPECT_EQ(scenario.id.size(), 3u) << scenario.id;
        EXPECT_EQ(scenario.id.find_first_not_of("0123456789"), std::string::npos) << scenario.id;
        EXPECT_LT(previous, scenario.id);
        EXPECT_TRUE(seen.insert(scenario.id).second) << scenario.id;
        previous = scenario.id;
    }
    EXPECT_FALSE(seen.empty());
}

TEST(ScenarioCatalog, EveryDefinitionIsComplete) {
    for (const auto& scenario : all_scenarios()) {
        SCOPED_TRACE(scenario.id);
        for (const std::string* line :
             {&scenario.title, &scenario.breaks, &scenario.heals, &scenario.symptom}) {
            EXPECT_FALSE(line->empty());
            EXPECT_EQ(line->find('\n'), std::string::npos) << *line;
        }
        EXPECT_LE(scenario.title.size(), 90u) << "fits `pathwhy demo --list` on one line";
        EXPECT_FALSE(scenario.destination.empty());
        EXPECT_FALSE(scenario.finding_kind.empty());
        ASSERT_TRUE(scenario.make);
        EXPECT_NE(scenario.make(), nullptr);
    }
}

TEST(ScenarioCatalog, FindsByIdAndNothingElse) {
    ASSERT_FALSE(all_scenarios().empty());
    EXPECT_EQ(find_scenario("000"), &all_scenarios().front());
    EXPECT_EQ(find_scenario(all_scenarios().back().id), &all_scenarios().back());
    EXPECT_EQ(find_scenario(""), nullptr);
    EXPECT_EQ(find_scenario("0"), nullptr);
    EXPECT_EQ(find_scenario("999"), nullptr);
}

TEST(ScenarioCatalog, PingProbesAreBoundedAndComeFromThePeersOwnAddress) {
    const std::vector<std::string> from_office{
        "busybox", "ping", "-c", "1", "-W", "2", "-I", "192.168.1.20", "172.18.2.172"};
    EXPECT_EQ(ping_argv(lab_host_address(), Ipv4Address::parse("192.168.1.20")), from_office);
    const std::vector<std::string> to_peer{"busybox", "ping", "-c",           "1",
                                           "-W",      "2",    "172.31.151.55"};
    EXPECT_EQ(ping_argv(*Ipv4Address::parse("172.31.151.55"), std::nullopt), to_peer);
}

nlohmann::json diagnosis_with(const std::vector<nlohmann::json>& findings) {
    nlohmann::json diagnosis{{"verdict", "misrouted"}};
    diagnosis["findings"] = findings;
    return diagnosis;
}

const nlohmann::json kCulprit = {
    {"kind", "route-into-docker-bridge"},
    {"summary", "172.31.151.55 is routed into Docker bridge br-e8395baf4d8b"},
    {"docker_network",
     {{"name", "backend-47_default"},
      {"bridge", "br-e8395baf4d8b"},
      {"compose_project", "backend-47"}}}};
const nlohmann::json kLeaked = {
    {"kind", "leaked-docker-network"},
    {"docker_network", {{"name", "backend-33_default"}, {"compose_project", "backend-33"}}}};
const Expected kExpected{"route-into-docker-bridge",
                         {"backend-47_default", "br-e8395baf4d8b", "backend-47"}};

TEST(ScenarioExpectation, HoldsWhenOneFindingOfTheKindNamesEverything) {
    EXPECT_TRUE(unmet(kExpected, diagnosis_with({kLeaked, kCulprit})).empty());
}

TEST(ScenarioExpectation, SaysWhichKindIsMissingAndWhatWasFound) {
    const auto problems = unmet(kExpected, diagnosis_with({kLeaked}));
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0], "no route-into-docker-bridge finding (findings: leaked-docker-network)");
    EXPECT_EQ(unmet(kExpected, nlohmann::json::object()),
              std::vector<std::string>{"no route-into-docker-bridge finding (findings: none)"});
}

TEST(ScenarioExpectation, NamesWhatTheClosestFindingOfTheKindLacks) {
    nlohmann::json other_bridge = kCulprit;
    other_bridge["summary"] = "172.31.151.55 is routed into Docker bridge br-000000000000";
    other_bridge["docker_network"]["bridge"] = "br-000000000000";
    const auto problems = unmet(kExpected, diagnosis_with({other_bridge}));
    EXPECT_EQ(problems,
              std::vector<std::string>{
                  "the route-into-docker-bridge finding does not mention br-e8395baf4d8b"});
}

}  // namespace
}  // namespace pathwhy::scenario
