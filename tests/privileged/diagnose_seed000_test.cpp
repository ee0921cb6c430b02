// Seed 000 end to end, beyond what every scenario is held to (privileged/scenarios_test.cpp): a
// real dockerd in a lab namespace walks its pools until a compose network takes 172.31.0.0/16;
// `pathwhy 172.31.151.55 --netns <lab> --json` must name that network field by field, its
// container, and every leaked one; the fix exactly as pathwhy prints it must heal it, with the
// route via the uplink; the human output puts the verdict first.
#include <gtest/gtest.h>

#include <set>

#include "lab/lab.h"
#include "lab/seed000.h"
#include "scenario/diagnose_target.h"
#include "support/pathwhy_run.h"
#include "support/privileges.h"

namespace pathwhy {
namespace {

class Seed000Lab : public ::testing::Test {
protected:
    void SetUp() override {
        PATHWHY_REQUIRE_ROOT();
        lab_.emplace();
        seed_ = lab::build_seed000(*lab_);
    }

    test::PathwhyRun diagnose(std::vector<std::string> extra = {}) {
        auto args = scenario::diagnose_target(*lab_, lab::seed000_peer().str()).args();
        args.insert(args.end(), extra.begin(), extra.end());
        return test::run_pathwhy(args);
    }

    std::optional<lab::Lab> lab_;
    lab::Seed000 seed_;
};

TEST_F(Seed000Lab, NamesTheNetworkThatSwallowedThePeerAndTheLeakedOnes) {
    const lab::LabNetwork& culprit = seed_.swallowing_network();
    ASSERT_EQ(culprit.subnet.str(), "172.31.0.0/16");

    test::PathwhyRun run = diagnose({"--json"});
    EXPECT_EQ(run.exit_code, 1) << run.err;
    auto j = run.json();
    EXPECT_EQ(j["verdict"], "misrouted");
    EXPECT_EQ(j["route"]["prefix"], "172.31.0.0/16");
    EXPECT_EQ(j["route"]["dev"], culprit.bridge());
    EXPECT_EQ(j["docker"]["status"], "ok");

    const auto& first = j["findings"][0];
    EXPECT_EQ(first["kind"], "route-into-docker-bridge");
    EXPECT_EQ(first["docker_network"]["id"], culprit.id);
    EXPECT_EQ(first["docker_network"]["name"], culprit.name);
    EXPECT_EQ(first["docker_network"]["bridge"], culprit.bridge());
    EXPECT_EQ(first["docker_network"]["compose_project"], culprit.project);
    ASSERT_EQ(first["docker_network"]["containers"].size(), 1u);
    EXPECT_EQ(first["docker_network"]["containers"][0]["name"], seed_.job.name);
    EXPECT_EQ(first["docker_network"]["containers"][0]["ipv4"], seed_.job.ip.str());

    // Every other compose network of the walk has no container: all of them are leaked.
    std::set<std::string> leaked;
    for (const auto& finding : j["findings"])
        if (finding["kind"] == "leaked-docker-network")
            leaked.insert(finding["docker_network"]["name"].get<std::string>());
    std::set<std::string> expected;
    for (const auto& network : seed_.networks)
        if (network.id != culprit.id) expected.insert(network.name);
    EXPECT_EQ(leaked, expected);
}

TEST_F(Seed000Lab, ThePrintedFixHealsItAndPathwhyThenSaysOk) {
    test::PathwhyRun before = diagnose({"--json"});
    ASSERT_EQ(before.exit_code, 1) << before.err;
    // Run the fix exactly as printed, up to the first alternative ("# or ...").
    const auto fix = before.json()["findings"][0]["fix"];
    ASSERT_TRUE(fix.is_array() && !fix.empty()) << before.out;
    for (const auto& line : fix) {
        std::string command = line.get<std::string>();
        if (command.rfind("#", 0) == 0) break;
        RunOptions with_lab_docker;
        with_lab_docker.env = {{"DOCKER_HOST", lab_->docker_host()}};
        auto result = run_command({"sh", "-c", command}, with_lab_docker);
        ASSERT_TRUE(result.ok()) << command << ": " << result.failure();
    }

    test::PathwhyRun after = diagnose({"--json"});
    EXPECT_EQ(after.exit_code, 0) << after.out << after.err;
    auto j = after.json();
    EXPECT_EQ(j["verdict"], "ok");
    EXPECT_EQ(j["route"]["prefix"], "0.0.0.0/0");
    EXPECT_EQ(j["route"]["dev"], std::string(lab::kUplink));
    EXPECT_EQ(j["route"]["gateway"], std::string(lab::kPeerGateway));
    for (const auto& finding : j["findings"]) EXPECT_NE(finding["kind"], "route-into-docker-bridge");
}

TEST_F(Seed000Lab, HumanOutputPutsTheVerdictFirst) {
    test::PathwhyRun run = diagnose();
    EXPECT_EQ(run.exit_code, 1) << run.err;
    const std::string first_line = run.out.substr(0, run.out.find('\n'));
    EXPECT_EQ(first_line.rfind("MISROUTED", 0), 0u) << run.out;
    EXPECT_NE(first_line.find(seed_.swallowing_network().bridge()), std::string::npos) << first_line;
    EXPECT_NE(run.out.find("docker network rm"), std::string::npos);
    EXPECT_NE(run.out.find("default-address-pools"), std::string::npos);
}

}  // namespace
}  // namespace pathwhy
