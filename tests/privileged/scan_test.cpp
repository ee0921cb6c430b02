// `pathwhy scan` against a real dockerd in a lab: leaked compose networks and a --peer range that
// one of them overlaps are both listed (exit 1); a clean lab, even with an unrelated --peer,
// exits 0.
#include <gtest/gtest.h>

#include <optional>
#include <set>

#include "lab/lab.h"
#include "support/lab_args.h"
#include "support/pathwhy_run.h"
#include "support/privileges.h"

namespace pathwhy {
namespace {

class ScanLab : public ::testing::Test {
  protected:
    void SetUp() override {
        PATHWHY_REQUIRE_ROOT();
        lab_.emplace();
    }

    test::PathwhyRun scan(std::vector<std::string> extra) const {
        extra.insert(extra.begin(), "--json");
        return test::run_pathwhy(test::lab_command({"scan"}, *lab_, extra));
    }

    std::optional<lab::Lab> lab_;
};

TEST_F(ScanLab, ListsLeakedNetworksAndTheOneOverlappingAPeerRange) {
    const lab::LabNetwork first = lab_->create_compose_network("ci-job-1");
    const lab::LabNetwork second = lab_->create_compose_network("ci-job-2");

    test::PathwhyRun run = scan({"--peer", second.subnet.str(), "--peer", "10.99.0.0/16"});
    EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
    auto j = run.json();
    EXPECT_EQ(j["verdict"], "problems");
    EXPECT_EQ(j["checked"]["peers"], nlohmann::json::array({second.subnet.str(), "10.99.0.0/16"}));

    std::set<std::string> leaked;
    std::vector<std::string> overlapping;
    for (const auto& finding : j["findings"]) {
        if (finding["kind"] == "leaked-docker-network")
            leaked.insert(finding["docker_network"]["name"].get<std::string>());
        if (finding["kind"] == "docker-subnet-overlaps-peer")
            overlapping.push_back(finding["docker_network"]["name"].get<std::string>());
    }
    EXPECT_EQ(leaked, (std::set<std::string>{first.name, second.name}));
    EXPECT_EQ(overlapping, std::vector<std::string>{second.name});
    EXPECT_EQ(j["findings"][0]["kind"], "docker-subnet-overlaps-peer") << "critical first";
    EXPECT_EQ(j["findings"][0]["severity"], "critical");
}

TEST_F(ScanLab, ACleanLabExitsZero) {
    test::PathwhyRun run = scan({"--peer", "10.99.0.0/16"});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    auto j = run.json();
    EXPECT_EQ(j["verdict"], "ok");
    EXPECT_EQ(j["summary"], "no problems found");
    EXPECT_TRUE(j["findings"].empty());
    EXPECT_TRUE(j["checked"]["conntrack_entries"].is_number()) << "conntrack was read";
    EXPECT_EQ(j["docker"]["status"], "ok");
}

}  // namespace
}  // namespace pathwhy
