// `pathwhy record` when things go wrong around it: SIGKILL mid-recording leaves a readable file
// missing at most about a second; a full disk stops it with a clear error and keeps what was
// written; a Docker daemon restart is noticed, survived, and what Docker does afterwards is still
// recorded. Route churn in a lab namespace supplies a steady stream of records.
#include <gtest/gtest.h>
#include <signal.h>
#include <time.h>

#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "lab/lab.h"
#include "lab/naming.h"
#include "lab/netns.h"
#include "support/lab_args.h"
#include "support/pathwhy_run.h"
#include "support/privileges.h"
#include "support/recorder_process.h"
#include "support/temp_dir.h"

namespace pathwhy {
namespace {

using namespace std::chrono_literals;

constexpr const char* kWatched = "10.77.0.0/16";

std::int64_t unix_now_ns() {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// A namespace with a link whose gateway the churned routes point at.
class ChurnNamespace {
  public:
    ChurnNamespace() : ns_(lab::namespace_name(lab::next_lab_id(), lab::kHostRole)) {
        ns_.ip({"link", "add", "churn0", "type", "veth", "peer", "name", "churn1"});
        ns_.ip({"link", "set", "churn0", "up"});
        ns_.ip({"link", "set", "churn1", "up"});
        ns_.ip({"addr", "add", "10.77.0.1/24", "dev", "churn0"});
    }

    const std::string& name() const { return ns_.name(); }

    // `count` /32 routes in the watched prefix, added (or deleted) in one `ip -batch`.
    void routes(const char* verb, int first, int count) const {
        std::string batch;
        for (int i = first; i < first + count; ++i)
            batch += fmt::format("route {} 10.77.{}.{}/32 via 10.77.0.2\n", verb, 1 + i / 250,
                                 1 + i % 250);
        RunOptions options;
        options.stdin_data = batch;
        run_checked({"ip", "-n", ns_.name(), "-batch", "-"}, options);
    }

  private:
    lab::LabNamespace ns_;
};

nlohmann::json report_json(const std::string& recording) {
    test::PathwhyRun run = test::run_pathwhy({"report", recording, "--format", "json"});
    EXPECT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.err;
    return run.json();
}

class RecordRobustness : public ::testing::Test {
  protected:
    void SetUp() override { PATHWHY_REQUIRE_ROOT(); }
    test::TempDir dir_;
};

TEST_F(RecordRobustness, SigkillLeavesAReadableFileMissingAboutASecondAtMost) {
    ChurnNamespace ns;
    const std::string recording = dir_.file("killed.rec");
    test::RecorderProcess recorder({"--watch", kWatched, "--netns", ns.name(), "-o", recording},
                                   dir_.path());
    ASSERT_TRUE(recorder.ready());
    // Routes keep changing right up to the kill, so there is always something unflushed.
    for (int i = 0; i < 60; ++i) {
        ns.routes("add", i * 4, 4);
        std::this_thread::sleep_for(50ms);
    }
    const std::int64_t killed_ns = unix_now_ns();
    EXPECT_EQ(recorder.stop(SIGKILL), "killed by SIGKILL");

    const auto report = report_json(recording);
    ASSERT_FALSE(report["covers"]["to"].is_null()) << report.dump(2);
    const std::string last = report["covers"]["to"];
    // ISO 8601 in UTC, compared as text: the last record kept is at most ~1 s before the kill
    // (the flush interval, plus the recorder loop's tick).
    const std::int64_t allowed_ns = killed_ns - 1'500'000'000;
    const std::time_t allowed_s = allowed_ns / 1'000'000'000;
    std::tm parts{};
    gmtime_r(&allowed_s, &parts);
    char allowed[40];
    std::strftime(allowed, sizeof allowed, "%Y-%m-%dT%H:%M:%S", &parts);
    EXPECT_GE(last, std::string(allowed)) << "lost more than a second before the kill";
    EXPECT_GT(report["events"].get<int>(), 100);
    for (const auto& remark : report["remarks"])
        EXPECT_EQ(remark["text"].get<std::string>().find("recording stopped"), std::string::npos)
            << "a killed recorder wrote its closing note";
}

TEST_F(RecordRobustness, AFullDiskStopsWithAClearErrorAndKeepsWhatWasWritten) {
    ChurnNamespace ns;
    const std::string kept = dir_.file("full.rec");
    // The small disk lives in a mount namespace of the recorder's own, so it vanishes with it
    // whatever happens; the recording is copied out first.
    const auto on_small_disk = [&](std::vector<std::string> record) {
        std::string command =
            "set -u; d=$(mktemp -d); mount -t tmpfs -o size=512k tmpfs \"$d\" && "
            "head -c 430000 /dev/zero > \"$d/filler\" && \"$@\" -o \"$d/full.rec\"; rc=$?; "
            "cp \"$d/full.rec\" '" + kept + "'; exit $rc";
        std::vector<std::string> argv{"unshare", "-m", "--propagation", "private", "sh", "-c",
                                      command, "sh"};
        argv.insert(argv.end(), record.begin(), record.end());
        return argv;
    };
    test::RecorderProcess recorder({"--watch", kWatched, "--netns", ns.name()}, dir_.path(),
                                   on_small_disk);
    ASSERT_TRUE(recorder.ready());
    // About 10 bytes on disk per route change: a few rounds fill the 80 KiB left.
    for (int round = 0; round < 40; ++round) {
        ns.routes("add", 0, 1000);
        ns.routes("del", 0, 1000);
        if (recorder.log().find("No space left") != std::string::npos) break;
    }
    EXPECT_EQ(recorder.wait(30s), "exited with 2") << recorder.log();
    const std::string log = recorder.log();
    EXPECT_NE(log.find("pathwhy: cannot write recording"), std::string::npos) << log;
    EXPECT_NE(log.find("No space left on device"), std::string::npos) << log;
    EXPECT_NE(log.find("kept and readable"), std::string::npos) << log;

    const auto report = report_json(kept);
    EXPECT_EQ(report["covers"]["complete"], true) << "the half-written chunk was not cut off";
    EXPECT_GT(report["events"].get<int>(), 0);
}

TEST_F(RecordRobustness, ADockerRestartIsSurvivedAndWhatFollowsIsRecorded) {
    lab::Lab lab;
    const std::string recording = dir_.file("restart.rec");
    test::RecorderProcess recorder(
        test::lab_command({"--watch", "172.31.0.0/16"}, lab, {"-o", recording}),
        dir_.path());
    ASSERT_TRUE(recorder.ready());
    lab.restart_dockerd({});
    // A network made after the restart is still seen, with its name and project.
    lab.docker({"network", "create", "--subnet", "172.31.0.0/16", "--label",
                "com.docker.compose.project=after", "after_default"});
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (recorder.log().find("INCIDENT") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(100ms);
    EXPECT_EQ(recorder.stop(SIGINT), "exited with 0");
    const std::string log = recorder.log();
    EXPECT_NE(log.find("Docker's event stream ended"), std::string::npos) << log;
    EXPECT_NE(log.find("answers again"), std::string::npos) << log;

    const auto report = report_json(recording);
    ASSERT_EQ(report["incidents"].size(), 1u) << report.dump(2);
    const auto& incident = report["incidents"][0];
    EXPECT_EQ(incident["finding"]["docker_network"]["name"], "after_default");
    bool created = false;
    for (const auto& entry : incident["timeline"])
        created = created || (entry["kind"] == "docker-network-created" &&
                              entry["text"].get<std::string>().find("compose project after") !=
                                  std::string::npos);
    EXPECT_TRUE(created) << incident["timeline"].dump(2);
}

}  // namespace
}  // namespace pathwhy
