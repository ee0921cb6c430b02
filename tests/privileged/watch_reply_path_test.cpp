// The reply path of seeds 002 and 004, watched: the lab's peer (172.31.151.55) connects to a
// service in the lab's host namespace while a Docker network there holds 172.31.0.0/16. The SYN
// arrives on the uplink, the SYN-ACK's route lookup picks the bridge. `pathwhy 172.31.151.55
// --watch` sends nothing itself and must say route-into-docker-bridge, direction "reply"; Ctrl-C
// ends a watch early and still prints the diagnosis.
#include <gtest/gtest.h>

#include "lab/lab.h"
#include "lab/peer_connections.h"
#include "lab/seed000.h"
#include "support/lab_args.h"
#include "support/pathwhy_background.h"
#include "support/privileges.h"

namespace pathwhy {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class WatchReplyPath : public ::testing::Test {
  protected:
    void SetUp() override {
        PATHWHY_REQUIRE_ROOT();
        lab_.emplace();
        seed_ = lab::build_seed000(*lab_);
    }

    std::vector<std::string> watch(int seconds) const {
        return test::lab_command({lab::seed000_peer().str()}, *lab_,
                                 {"--watch", std::to_string(seconds), "--json"});
    }

    std::optional<lab::Lab> lab_;
    lab::Seed000 seed_;
};

TEST_F(WatchReplyPath, TheSynAckIsRoutedIntoTheBridge) {
    const std::string bridge = seed_.swallowing_network().bridge();
    test::BackgroundPathwhy pathwhy(watch(8));
    ASSERT_NE(pathwhy.wait_ready(), 0);
    {
        lab::PeerConnectionOptions options;
        options.attempts = 2;
        lab::PeerConnections peer(*lab_, options);
        // The first attempt's end (its SYN-ACKs swallowed, a timeout) is the traffic we need.
        auto [tally, done] = peer.wait_until([](const auto& t) { return t.attempted() >= 1; }, 20s);
        EXPECT_TRUE(done);
        EXPECT_EQ(tally.succeeded, 0) << "the peer got an answer: the lab does not reproduce";
    }
    test::PathwhyRun run = pathwhy.finish();
    EXPECT_EQ(run.exit_code, 1) << run.err;
    const json j = run.json();
    EXPECT_EQ(j["trace"]["mode"], "watch");
    EXPECT_EQ(j["trace"]["watch_seconds"], 8);

    const json& misroute = j["findings"][0];
    EXPECT_EQ(misroute["kind"], "route-into-docker-bridge");
    EXPECT_EQ(misroute["direction"], "reply");
    EXPECT_EQ(misroute["docker_network"]["id"], seed_.swallowing_network().id);
    EXPECT_EQ(j["summary"].get<std::string>().rfind("replies to 172.31.151.55 are routed", 0), 0u)
        << j["summary"];
    bool arrived = false;
    for (const auto& line : misroute["evidence"])
        arrived |= line.get<std::string>().find("arrived on " + std::string(lab::kUplink)) !=
                   std::string::npos;
    EXPECT_TRUE(arrived) << misroute["evidence"].dump(1);

    bool syn_in = false, reply_into_bridge = false;
    for (const auto& event : j["observed"]) {
        if (event["kind"] == "netfilter" && event["hook"] == "PREROUTING" &&
            event["tuple"]["src"] == "172.31.151.55" && event["in_dev"] == lab::kUplink)
            syn_in = true;
        if (event["kind"] == "route_lookup" && event["tuple"]["dst"] == "172.31.151.55" &&
            event["nexthop_dev"] == bridge)
            reply_into_bridge = true;
    }
    EXPECT_TRUE(syn_in) << j["observed"].dump(1);
    EXPECT_TRUE(reply_into_bridge) << j["observed"].dump(1);
}

TEST_F(WatchReplyPath, CtrlCEndsTheWatchAndTheDiagnosisIsStillPrinted) {
    test::BackgroundPathwhy pathwhy(watch(120));
    ASSERT_NE(pathwhy.wait_ready(), 0);
    const auto interrupted_at = std::chrono::steady_clock::now();
    pathwhy.interrupt();
    test::PathwhyRun run = pathwhy.finish();
    EXPECT_LT(std::chrono::steady_clock::now() - interrupted_at, 10s);
    EXPECT_EQ(run.exit_code, 1) << run.err;  // the static misroute is still there
    const json j = run.json();
    EXPECT_EQ(j["trace"]["interrupted"], true);
    EXPECT_EQ(j["findings"][0]["kind"], "route-into-docker-bridge");
    EXPECT_NE(run.err.find("stopped by Ctrl-C"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace pathwhy
