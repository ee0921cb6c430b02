// Docker's FORWARD chains dropping real packets in a lab, named by pathwhy down to the rule:
// a ping from a container on one compose network to a container on another dies in
// DOCKER-ISOLATION-STAGE-2 (Docker 20.10 isolates bridge networks from each other), and a
// connection from the peer to a container's unpublished port meets FORWARD's policy DROP.
#include <gtest/gtest.h>

#include "lab/compose_labels.h"
#include "lab/lab.h"
#include "support/lab_args.h"
#include "support/pathwhy_background.h"
#include "support/privileges.h"

namespace pathwhy {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class ForwardDrop : public ::testing::Test {
  protected:
    void SetUp() override {
        PATHWHY_REQUIRE_ROOT();
        lab_.emplace();
        front_ = lab_->create_compose_network("front");
        back_ = lab_->create_compose_network("back");
        web_ = lab_->run_container("front-web-1", front_.name,
                                   lab::compose_container_labels("front", "web", 1));
        db_ = lab_->run_container("back-db-1", back_.name,
                                  lab::compose_container_labels("back", "db", 1));
    }

    std::vector<std::string> diagnose(const Ipv4Address& destination,
                                      std::vector<std::string> extra) const {
        extra.insert(extra.begin(), "--json");
        return test::lab_command({destination.str()}, *lab_, extra);
    }

    static const json* netfilter_drop(const json& j) {
        for (const auto& f : j["findings"])
            if (f["kind"] == "netfilter-drop") return &f;
        return nullptr;
    }

    std::optional<lab::Lab> lab_;
    lab::LabNetwork front_, back_;
    lab::LabContainer web_, db_;
};

TEST_F(ForwardDrop, BetweenTwoComposeNetworksIsolationDropsIt) {
    test::PathwhyRun run = test::run_pathwhy(
        diagnose(db_.ip, {"--probe", "icmp", "--from", "container:" + web_.name}));
    EXPECT_EQ(run.exit_code, 1) << run.err;
    const json j = run.json();
    EXPECT_EQ(j["verdict"], "dropped");
    EXPECT_EQ(j["trace"]["from"], "container:" + web_.name);
    const json* drop = netfilter_drop(j);
    ASSERT_NE(drop, nullptr) << j.dump(1);
    EXPECT_EQ(j["summary"], (*drop)["summary"]);
    const json& where = (*drop)["drop"];
    EXPECT_EQ(where["hook"], "FORWARD");
    EXPECT_EQ(where["table"], "filter");
    EXPECT_EQ(where["chain"], "DOCKER-ISOLATION-STAGE-2");
    EXPECT_EQ(where["rule"], "-A DOCKER-ISOLATION-STAGE-2 -o " + back_.bridge() + " -j DROP");
    EXPECT_EQ(where["certain"], true);
    EXPECT_EQ(where["in_dev"], front_.bridge());
    EXPECT_EQ(where["out_dev"], back_.bridge());
    EXPECT_EQ((*drop)["fix"][0], "docker network connect " + back_.name + " " + web_.name);
}

TEST_F(ForwardDrop, FromThePeerToAnUnpublishedPortThePolicyDropsIt) {
    // The peer reaches the back network through the lab host, as a VPC peer routed to it would.
    lab_->peer().ip({"route", "add", back_.subnet.str(), "via",
                     std::string(lab::kUplinkAddress.substr(0, lab::kUplinkAddress.find('/')))});
    test::BackgroundPathwhy pathwhy(diagnose(db_.ip, {"--watch", "4"}));
    ASSERT_NE(pathwhy.wait_ready(), 0);
    RunOptions bounded;
    bounded.timeout = 10s;
    const auto connect =
        lab_->peer().exec({"busybox", "nc", "-w", "2", db_.ip.str(), "5432"}, bounded);
    EXPECT_FALSE(connect.ok()) << "the connection went through: nothing to diagnose";
    test::PathwhyRun run = pathwhy.finish();
    EXPECT_EQ(run.exit_code, 1) << run.err;
    const json j = run.json();
    const json* drop = netfilter_drop(j);
    ASSERT_NE(drop, nullptr) << j.dump(1);
    const json& where = (*drop)["drop"];
    EXPECT_EQ(where["hook"], "FORWARD");
    EXPECT_EQ(where["chain"], "FORWARD");
    EXPECT_EQ(where["rule"], "policy DROP");
    EXPECT_EQ(where["in_dev"], std::string(lab::kUplink));
    EXPECT_GE(where["packets"].get<int>(), 1);
}

}  // namespace
}  // namespace pathwhy
