// Seed 000 traced end to end: in a lab whose leaked compose networks have reached 172.31.0.0/16,
// `pathwhy 172.31.151.55 --probe tcp:443` sends one SYN from the lab's host namespace and shows
// it go the wrong way: the kernel's route lookup picks the Docker bridge (route-into-docker-bridge,
// direction outbound), ARP for the peer fails there and the kernel answers ICMP host unreachable
// — "No route to host" (neighbor-unreachable).
#include <gtest/gtest.h>

#include "lab/lab.h"
#include "lab/seed000.h"
#include "support/lab_args.h"
#include "support/pathwhy_run.h"
#include "support/privileges.h"

namespace pathwhy {
namespace {

using nlohmann::json;

class ProbeSeed000 : public ::testing::Test {
  protected:
    void SetUp() override {
        PATHWHY_REQUIRE_ROOT();
        lab_.emplace();
        seed_ = lab::build_seed000(*lab_);
    }

    test::PathwhyRun probe(const std::string& spec, std::vector<std::string> extra = {}) {
        extra.insert(extra.begin(), {"--probe", spec});
        return test::run_pathwhy(test::lab_command({lab::seed000_peer().str()}, *lab_, extra));
    }

    std::optional<lab::Lab> lab_;
    lab::Seed000 seed_;
};

const json* finding(const json& j, const std::string& kind) {
    for (const auto& f : j["findings"])
        if (f["kind"] == kind) return &f;
    return nullptr;
}

TEST_F(ProbeSeed000, TheSynIsRoutedIntoTheBridgeAndArpFailsThere) {
    const std::string bridge = seed_.swallowing_network().bridge();
    test::PathwhyRun run = probe("tcp:443", {"--json"});
    EXPECT_EQ(run.exit_code, 1) << run.err;
    const json j = run.json();
    EXPECT_EQ(j["verdict"], "misrouted");
    EXPECT_EQ(j["trace"]["mode"], "probe");
    EXPECT_EQ(j["trace"]["probe"], "tcp:443");
    EXPECT_EQ(j["trace"]["outcome"], "No route to host");

    const json& misroute = j["findings"][0];
    EXPECT_EQ(misroute["kind"], "route-into-docker-bridge");
    EXPECT_EQ(misroute["direction"], "outbound");
    EXPECT_EQ(misroute["docker_network"]["id"], seed_.swallowing_network().id);

    bool looked_up_into_bridge = false, arp_failed = false, host_unreachable = false;
    for (const auto& event : j["observed"]) {
        if (event["kind"] == "route_lookup" && event["table"] == "main" &&
            event["tuple"]["dst"] == "172.31.151.55" && event["nexthop_dev"] == bridge)
            looked_up_into_bridge = true;
        if (event["kind"] == "neighbour" && event["neighbour"] == "172.31.151.55" &&
            event["out_dev"] == bridge && event["new_state"] == "FAILED")
            arp_failed = true;
        if (event["kind"] == "icmp_error" && event["icmp_type"] == 3 && event["icmp_code"] == 1)
            host_unreachable = true;
    }
    EXPECT_TRUE(looked_up_into_bridge) << j["observed"].dump(1);
    EXPECT_TRUE(arp_failed || host_unreachable) << j["observed"].dump(1);

    const json* neighbour = finding(j, "neighbor-unreachable");
    ASSERT_NE(neighbour, nullptr) << j["findings"].dump(1);
    EXPECT_NE(neighbour->at("summary").get<std::string>().find("on " + bridge + " failed"),
              std::string::npos);
    for (const auto& view : j["views"]) EXPECT_EQ(view["active"], true) << view.dump();
}

TEST_F(ProbeSeed000, TheTextShowsTheKernelPathBeforeTheExplanation) {
    const std::string bridge = seed_.swallowing_network().bridge();
    test::PathwhyRun run = probe("icmp");
    EXPECT_EQ(run.exit_code, 1) << run.err;
    const auto path = run.out.find("kernel path  probe icmp → No route to host");
    const auto explanation = run.out.find("route-into-docker-bridge  (outbound)");
    ASSERT_NE(path, std::string::npos) << run.out;
    ASSERT_NE(explanation, std::string::npos) << run.out;
    EXPECT_LT(path, explanation);
    EXPECT_NE(run.out.find("POSTROUTING  out " + bridge), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("INCOMPLETE → FAILED"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("neighbor-unreachable"), std::string::npos) << run.out;
    EXPECT_NE(run.err.find("probing 172.31.151.55 with icmp"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace pathwhy
