// A real DOCKER-USER DROP rule (put into the lab's host namespace, as an administrator would on
// the host) is still reported as a confirmed, critical netfilter drop now that a missing exit
// alone no longer counts: the kernel frees the dropped ping with NETFILTER_DROP, and pathwhy ties
// that kfree_skb to the ping's FORWARD entry by its skb. Probed live, and recorded then reported.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include "lab/compose_labels.h"
#include "lab/lab.h"
#include "support/lab_args.h"
#include "support/pathwhy_run.h"
#include "support/privileges.h"
#include "support/recorder_process.h"
#include "support/temp_dir.h"

namespace pathwhy {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class DockerUserDrop : public ::testing::Test {
  protected:
    void SetUp() override {
        PATHWHY_REQUIRE_ROOT();
        lab_.emplace();
        network_ = lab_->create_compose_network("shop");
        web_ = lab_->run_container("shop-web-1", network_.name,
                                   lab::compose_container_labels("shop", "web", 1));
        rule_ = {"-s", web_.ip.str() + "/32",
                 "-d", std::string(lab::kPeerServiceAddress) + "/32",
                 "-j", "DROP"};
        std::vector<std::string> insert{"iptables", "-I", "DOCKER-USER"};
        insert.insert(insert.end(), rule_.begin(), rule_.end());
        const auto inserted = lab_->host().exec(insert);
        ASSERT_TRUE(inserted.ok()) << inserted.failure();
    }

    // The rule as iptables-save prints it, which is how pathwhy names it.
    std::string saved_rule() const {
        return "-A DOCKER-USER -s " + web_.ip.str() + "/32 -d " +
               std::string(lab::kPeerServiceAddress) + "/32 -j DROP";
    }

    void expect_confirmed(const json& finding) const {
        EXPECT_EQ(finding["severity"], "critical") << finding.dump(1);
        const json& where = finding["drop"];
        EXPECT_EQ(where["confirmed"], true);
        EXPECT_TRUE(where["unconfirmed_because"].is_null());
        EXPECT_EQ(where["reason"], "NETFILTER_DROP");
        EXPECT_EQ(where["hook"], "FORWARD");
        EXPECT_EQ(where["table"], "filter");
        EXPECT_EQ(where["chain"], "DOCKER-USER");
        EXPECT_EQ(where["rule"], saved_rule());
        EXPECT_EQ(where["in_dev"], network_.bridge());
    }

    static const json* netfilter_drop(const json& findings) {
        for (const auto& f : findings)
            if (f["kind"] == "netfilter-drop") return &f;
        return nullptr;
    }

    std::optional<lab::Lab> lab_;
    lab::LabNetwork network_;
    lab::LabContainer web_;
    std::vector<std::string> rule_;
};

TEST_F(DockerUserDrop, AProbeFromTheContainerIsAConfirmedDrop) {
    test::PathwhyRun run = test::run_pathwhy(
        test::lab_command({std::string(lab::kPeerServiceAddress)}, *lab_,
                          {"--json", "--probe", "icmp", "--from", "container:" + web_.name}));
    EXPECT_EQ(run.exit_code, 1) << run.err;
    const json j = run.json();
    EXPECT_EQ(j["verdict"], "dropped");
    const json* drop = netfilter_drop(j["findings"]);
    ASSERT_NE(drop, nullptr) << j.dump(1);
    EXPECT_EQ(j["summary"], (*drop)["summary"]);
    expect_confirmed(*drop);
    EXPECT_EQ((*drop)["fix"][0], "iptables -D " + saved_rule().substr(3));
}

TEST_F(DockerUserDrop, RecordedAndReportedItIsAConfirmedIncident) {
    test::TempDir dir;
    const std::string recording = dir.file("docker-user.rec");
    test::RecorderProcess recorder(
        test::lab_command({"--watch", std::string(lab::kPeerServiceAddress) + "/32"}, *lab_,
                          {"-o", recording}),
        dir.path());
    ASSERT_TRUE(recorder.ready());
    RunOptions bounded;
    bounded.timeout = 30s;
    const auto ping =
        lab_->host().exec({"docker", "-H", lab_->docker_host(), "exec", web_.name, "ping", "-c",
                           "4", "-W", "1", std::string(lab::kPeerServiceAddress)},
                          bounded);
    EXPECT_FALSE(ping.ok()) << "the pings got through: the rule dropped nothing";
    // Evidence is judged a second after it arrives: wait for the alert, not a fixed time.
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (recorder.log().find("INCIDENT") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(200ms);
    EXPECT_EQ(recorder.stop(SIGTERM), "exited with 0") << recorder.log();
    EXPECT_NE(recorder.log().find("netfilter-drop"), std::string::npos) << recorder.log();

    test::PathwhyRun run = test::run_pathwhy({"report", recording, "--format", "json"});
    EXPECT_EQ(run.exit_code, 1) << run.err;
    const json report = run.json();
    const json* incident = nullptr;
    for (const auto& i : report["incidents"])
        if (i["kind"] == "netfilter-drop") incident = &i;
    ASSERT_NE(incident, nullptr) << report.dump(1);
    expect_confirmed((*incident)["finding"]);
}

}  // namespace
}  // namespace pathwhy
