// Seed 004 recorded end to end: the bastion (the lab peer, 172.31.151.55) keeps connecting to a
// service on the host while a compose project goes up and down until Docker hands it
// 172.31.0.0/16, then goes down for good. `pathwhy record --watch 172.31.0.0/16` runs throughout;
// `pathwhy report` must put the network's creation before the first misrouted reply, name the
// network and its project, count the damage and see the recovery — in all four formats.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "lab/lab.h"
#include "lab/peer_connections.h"
#include "lab/seed004.h"
#include "support/lab_args.h"
#include "support/pathwhy_run.h"
#include "support/privileges.h"
#include "support/recorder_process.h"
#include "support/temp_dir.h"

namespace pathwhy {
namespace {

using namespace std::chrono_literals;

const nlohmann::json* entry_of(const nlohmann::json& timeline, const std::string& kind) {
    for (const auto& entry : timeline)
        if (entry["kind"] == kind) return &entry;
    return nullptr;
}

class RecordSeed004 : public ::testing::Test {
  protected:
    void SetUp() override {
        PATHWHY_REQUIRE_ROOT();
        lab_.emplace();
        recording_ = dir_.file("seed004.rec");
    }

    // A failed run leaves the report in the log: what the recorder saw, in the report's words.
    // PATHWHY_SHOW_REPORT=1 shows it after a passing run too.
    void TearDown() override {
        if ((HasFailure() || std::getenv("PATHWHY_SHOW_REPORT")) &&
            std::filesystem::exists(recording_))
            std::cerr << test::run_pathwhy({"report", recording_}).out;
    }

    std::vector<std::string> record_arguments() const {
        return test::lab_command({"--watch", lab::seed004_vpc().str()}, *lab_,
                                 {"-o", recording_, "--on-incident",
                                  "cat >> " + dir_.file("incidents.jsonl")});
    }

    test::TempDir dir_;
    std::optional<lab::Lab> lab_;
    std::string recording_;
};

TEST_F(RecordSeed004, TheReportPutsTheNetworkBeforeTheFirstMisroutedReply) {
    lab::PeerConnections bastion(*lab_);
    auto [healthy, got_through] = bastion.wait_until([](auto t) { return t.succeeded >= 2; }, 30s);
    ASSERT_TRUE(got_through) << "the bastion's connections fail before any Docker network exists";

    test::RecorderProcess recorder(record_arguments(), dir_.path());
    ASSERT_TRUE(recorder.ready());
    const int before = bastion.tally().succeeded;
    ASSERT_TRUE(bastion.wait_until([&](auto t) { return t.succeeded >= before + 2; }, 30s).second);

    const lab::Seed004 seed = lab::cycle_until_collision(*lab_);
    const lab::LabNetwork& colliding = seed.colliding_network();
    const int failed_before = bastion.tally().failed;
    ASSERT_TRUE(bastion.wait_until([&](auto t) { return t.failed >= failed_before + 2; }, 60s).second)
        << "the bastion's connections still complete with " << colliding.subnet.str() << " taken";

    lab::seed004_down(*lab_, seed.stack);
    const int after = bastion.tally().succeeded;
    ASSERT_TRUE(bastion.wait_until([&](auto t) { return t.succeeded >= after + 2; }, 60s).second)
        << "the bastion's connections do not recover after compose down";

    EXPECT_EQ(recorder.stop(SIGTERM), "exited with 0") << recorder.log();
    const std::string log = recorder.log();
    EXPECT_NE(log.find("INCIDENT 172.31.0.0/16 route-into-docker-bridge"), std::string::npos) << log;
    EXPECT_NE(log.find("RESOLVED 172.31.0.0/16 route-into-docker-bridge"), std::string::npos) << log;

    test::PathwhyRun run = test::run_pathwhy({"report", recording_, "--format", "json"});
    ASSERT_EQ(run.exit_code, 1) << run.err;
    const auto report = run.json();
    EXPECT_EQ(report["covers"]["complete"], true);
    const nlohmann::json* found = nullptr;
    for (const auto& incident : report["incidents"])
        if (incident["kind"] == "route-into-docker-bridge") {
            EXPECT_EQ(found, nullptr) << "the misroute is reported twice";
            found = &incident;
        }
    ASSERT_NE(found, nullptr) << report.dump(2);
    const auto& incident = *found;
    EXPECT_EQ(incident["finding"]["docker_network"]["name"], colliding.name);
    EXPECT_EQ(incident["finding"]["docker_network"]["compose_project"], seed.project);
    EXPECT_EQ(incident["finding"]["direction"], "reply") << "the packet tracer saw the replies";
    EXPECT_FALSE(incident["resolved"].is_null());

    const auto& timeline = incident["timeline"];
    const auto* healthy_traffic = entry_of(timeline, "last-healthy-traffic");
    const auto* created = entry_of(timeline, "docker-network-created");
    const auto* route = entry_of(timeline, "route-added");
    const auto* misrouted = entry_of(timeline, "first-misrouted-packet");
    const auto* failed = entry_of(timeline, "first-failed-connection");
    const auto* recovered = entry_of(timeline, "healthy-again");
    ASSERT_TRUE(healthy_traffic && created && route && misrouted && failed && recovered)
        << timeline.dump(2);
    // ISO 8601 UTC with a fixed width: ordered as text.
    // Replies may still get out for a moment after the route appears: the bridge is down until
    // the project's container joins it, and the kernel skips routes of a down device.
    EXPECT_LE((*healthy_traffic)["time"], (*misrouted)["time"]);
    EXPECT_LE((*healthy_traffic)["time"], (*failed)["time"]);
    EXPECT_LT((*created)["time"], (*misrouted)["time"]);
    EXPECT_LT((*created)["time"], (*failed)["time"]);
    EXPECT_LT((*misrouted)["time"], incident["resolved"]);
    EXPECT_LT(incident["resolved"], (*recovered)["time"]);
    const std::string created_text = (*created)["text"];
    EXPECT_NE(created_text.find(colliding.name), std::string::npos) << created_text;
    EXPECT_NE(created_text.find("compose project " + seed.project), std::string::npos);
    EXPECT_NE(created_text.find(colliding.bridge()), std::string::npos);
    const std::string misrouted_text = (*misrouted)["text"];
    EXPECT_NE(misrouted_text.find("→ " + lab::seed004_bastion().str()), std::string::npos)
        << "the first misrouted packet is not a reply to the bastion: " << misrouted_text;
    ASSERT_NE(entry_of(timeline, "earlier-networks"), nullptr) << "the walk through the pools";

    const auto& impact = incident["impact"];
    EXPECT_GE(impact["flows"].get<int>(), 2);
    EXPECT_GE(impact["packets"].get<int>(), 2);
    EXPECT_FALSE(impact["ongoing"].get<bool>());

    // --on-incident got the opening and the resolution.
    std::ifstream hook(dir_.file("incidents.jsonl"));
    std::vector<nlohmann::json> alerts;
    for (std::string line; std::getline(hook, line);)
        if (!line.empty()) alerts.push_back(nlohmann::json::parse(line));
    std::vector<std::string> misroute_alerts;
    for (const auto& alert : alerts)
        if (alert["finding"]["kind"] == "route-into-docker-bridge") {
            misroute_alerts.push_back(alert["event"]);
            EXPECT_EQ(alert["finding"]["docker_network"]["name"], colliding.name);
        }
    EXPECT_EQ(misroute_alerts, (std::vector<std::string>{"opened", "resolved"}));

    for (const std::string format : {"text", "md", "html"}) {
        const std::string out = dir_.file("report." + format);
        test::PathwhyRun rendered =
            test::run_pathwhy({"report", recording_, "--format", format, "-o", out});
        EXPECT_EQ(rendered.exit_code, 1) << format << ": " << rendered.err;
        std::ifstream file(out);
        const std::string text{std::istreambuf_iterator<char>(file), {}};
        EXPECT_NE(text.find(colliding.name), std::string::npos) << format;
        EXPECT_NE(text.find("docker network rm"), std::string::npos) << format;
    }
}

}  // namespace
}  // namespace pathwhy
