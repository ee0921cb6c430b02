// The lab harness against the real kernel and a real dockerd: a lab comes up and goes away
// without a trace, seed 000 reproduces its symptom, a lab whose setup fails or is interrupted
// halfway cleans up, and the reaper clears a lab whose process was SIGKILLed.
#include "lab/lab.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/error.h"
#include "common/interrupt.h"
#include "lab/pids.h"
#include "lab/seed000.h"
#include "lab/stale_labs.h"
#include "support/lab_leftovers.h"
#include "support/privileges.h"

namespace pathwhy::lab {
namespace {

using Clock = std::chrono::steady_clock;
// gtest without gmock: substring and emptiness checks that print what they saw.
testing::AssertionResult Mentions(const std::string& text, const std::string& part) {
    if (text.find(part) != std::string::npos) return testing::AssertionSuccess();
    return testing::AssertionFailure() << "'" << part << "' not in:\n" << text;
}

testing::AssertionResult NoneLeft(const std::vector<std::string>& leftovers) {
    if (leftovers.empty()) return testing::AssertionSuccess();
    auto failure = testing::AssertionFailure() << "left behind:";
    for (const auto& item : leftovers) failure << "\n  " << item;
    return failure;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Prints each setup step with the time since the lab started, so a slow step shows in the log.
LabOptions timed_options(Clock::time_point start) {
    LabOptions options;
    options.on_step = [start](std::string_view step) {
        fmt::print("  [{:6.2f} s] {}\n", seconds_since(start), step);
    };
    return options;
}

// A bounded TCP connect from the lab's host namespace; busybox nc says why it failed.
ProcessResult connect_from_host(const Lab& lab, std::string_view address, int port) {
    RunOptions options;
    options.timeout = std::chrono::seconds(15);
    return lab.host().exec(
        {"/bin/busybox", "nc", "-w", "5", std::string(address), std::to_string(port)}, options);
}

TEST(Lab, ComesUpAnswersAndLeavesNothingBehind) {
    PATHWHY_REQUIRE_ROOT();
    const auto start = Clock::now();
    LabFootprint footprint;
    std::vector<std::string> sockets;
    {
        Lab lab(timed_options(start));
        const double up = seconds_since(start);
        footprint = lab.footprint();
        RecordProperty("lab_up_seconds", fmt::format("{:.2f}", up));

        EXPECT_FALSE(lab.docker({"version", "--format", "{{.Server.Version}}"}).empty());
        ASSERT_EQ(footprint.pids.size(), 2u) << "dockerd and its own containerd";
        EXPECT_TRUE(process_alive(footprint.pids[1]));
        EXPECT_EQ(lab.docker_host(), "unix://" + footprint.dir + "/docker.sock");
        EXPECT_TRUE(Mentions(lab.host().ip({"route", "show", "default"}),
                             fmt::format("default via {} dev {}", kPeerGateway, kUplink)));

        // The veth link, from the host namespace (one packet, inside the lab).
        RunOptions bounded;
        bounded.timeout = std::chrono::seconds(5);
        const auto ping = lab.host().exec(
            {"/bin/busybox", "ping", "-c", "1", "-W", "1", std::string(kPeerGateway)}, bounded);
        EXPECT_TRUE(ping.ok()) << ping.failure();

        // The busybox image runs, and a container reaches the peer through the host's NAT.
        lab.create_compose_network("smoke");
        const auto container = lab.run_container("smoke-app-1", "smoke_default",
                                                 compose_container_labels("smoke", "app", 1));
        EXPECT_TRUE(lab.inspect_network("smoke_default").subnet.contains(container.ip));
        EXPECT_EQ(
            lab.docker({"inspect", "--format",
                        "{{index .Config.Labels \"com.docker.compose.service\"}}", container.name}),
            "app\n");
        EXPECT_NO_THROW(lab.docker({"exec", container.name, "ping", "-c", "1", "-W", "2",
                                    std::string(kPeerServiceAddress)}));
        sockets = test::shim_sockets(getpid());
        EXPECT_EQ(sockets.size(), 1u) << "one container, one shim";
        fmt::print("  [{:6.2f} s] lab up after {:.2f} s; tearing down\n", seconds_since(start), up);
    }
    fmt::print("  [{:6.2f} s] torn down\n", seconds_since(start));
    EXPECT_TRUE(NoneLeft(test::lab_leftovers(getpid(), footprint.pids, sockets)));
    EXPECT_FALSE(std::filesystem::exists(footprint.dir));
}

TEST(Lab, Seed000BridgeSwallowsThePeer) {
    PATHWHY_REQUIRE_ROOT();
    const auto start = Clock::now();
    LabFootprint footprint;
    double up = 0, built = 0, down_from = 0;
    {
        Lab lab(timed_options(start));
        up = seconds_since(start);
        footprint = lab.footprint();

        // Before the leak: the peer answers (nothing listens on 443, so it refuses).
        const auto before = connect_from_host(lab, kPeerServiceAddress, 443);
        EXPECT_FALSE(before.ok());
        EXPECT_TRUE(Mentions(before.err, "Connection refused"));

        const Seed000 seed = build_seed000(lab);
        built = seconds_since(start);
        const LabNetwork& swallowing = seed.swallowing_network();
        EXPECT_EQ(swallowing.subnet, seed000_swallowed_subnet());
        EXPECT_EQ(seed.swallowing, seed.networks.size() - 1);
        EXPECT_EQ(seed.networks.size(), 13u) << "172.19 to 172.31: 172.17 is docker0's and 172.18 "
                                                "overlaps the uplink";
        for (const auto& network : seed.networks) {
            EXPECT_FALSE(network.subnet.overlaps(*Ipv4Cidr::parse("172.18.0.0/16")))
                << network.name;
            EXPECT_EQ(network.project + "_default", network.name);
        }
        EXPECT_EQ(swallowing.bridge(), "br-" + swallowing.id.substr(0, 12));
        EXPECT_EQ(seed.job.name, swallowing.project + "-app-1");
        EXPECT_TRUE(swallowing.subnet.contains(seed.job.ip));
        EXPECT_TRUE(swallowing.subnet.contains(seed000_peer()));

        const std::string route = lab.host().ip({"route", "show", "172.31.0.0/16"});
        EXPECT_TRUE(Mentions(route, "172.31.0.0/16 dev " + swallowing.bridge()));
        EXPECT_FALSE(Mentions(route, "linkdown")) << "the job's container keeps the bridge up";
        EXPECT_TRUE(Mentions(lab.host().ip({"route", "get", std::string(kPeerServiceAddress)}),
                             "dev " + swallowing.bridge()));

        // Seed 000's symptom: the connect dies on the bridge (ARP for the peer never answers).
        const auto connect_start = Clock::now();
        const auto after = connect_from_host(lab, kPeerServiceAddress, 443);
        EXPECT_FALSE(after.ok());
        EXPECT_TRUE(Mentions(after.err, "No route to host"));
        fmt::print("  connect failed after {:.2f} s: {}\n", seconds_since(connect_start),
                   after.failure());

        // The seed's fix: remove the job's container and the leaked network; the peer answers.
        lab.remove_container(seed.job.name);
        lab.remove_network(swallowing.name);
        EXPECT_FALSE(Mentions(lab.host().ip({"route"}), "172.31.0.0/16"));
        EXPECT_TRUE(
            Mentions(connect_from_host(lab, kPeerServiceAddress, 443).err, "Connection refused"));
        down_from = seconds_since(start);
    }
    const double total = seconds_since(start);
    fmt::print(
        "  lab up {:.2f} s, seed 000 built {:.2f} s later, teardown {:.2f} s, total {:.2f} s\n", up,
        built - up, total - down_from, total);
    RecordProperty("lab_up_seconds", fmt::format("{:.2f}", up));
    RecordProperty("seed000_seconds", fmt::format("{:.2f}", built - up));
    RecordProperty("teardown_seconds", fmt::format("{:.2f}", total - down_from));
    EXPECT_TRUE(NoneLeft(test::lab_leftovers(getpid(), footprint.pids)));
}

TEST(Lab, SetupFailingHalfwayLeavesNothingBehind) {
    PATHWHY_REQUIRE_ROOT();
    // Namespaces, veth and data dir exist by the time this "dockerd" exits at once.
    LabOptions options;
    options.dockerd.binary = "false";
    try {
        Lab lab(options);
        FAIL() << "a lab whose dockerd exits must not come up";
    } catch (const Error& e) {
        EXPECT_TRUE(Mentions(e.what(), "cannot start dockerd in namespace pw"));
        EXPECT_TRUE(Mentions(e.what(), "exited with 1"));
    }
    EXPECT_TRUE(NoneLeft(test::lab_leftovers(getpid())));
}

TEST(Lab, InterruptedRunTearsDownTheWholeLab) {
    PATHWHY_REQUIRE_ROOT();
    InterruptGuard guard;
    LabOptions options;
    // Ctrl-C arrives just as the first container needs the image: dockerd is up, a network made.
    options.on_step = [](std::string_view step) {
        if (step != "importing the busybox image") return;
        kill(getpid(), SIGINT);
        ASSERT_TRUE(wait_for_interrupt(std::chrono::seconds(5)));
    };
    LabFootprint footprint;
    try {
        Lab lab(options);
        footprint = lab.footprint();
        lab.create_compose_network("interrupted");
        lab.run_container("interrupted-app-1", "interrupted_default", {});
        FAIL() << "the run must stop at the interrupt";
    } catch (const Error& e) {
        EXPECT_TRUE(Mentions(e.what(), "interrupted by SIGINT"));
    }
    EXPECT_TRUE(NoneLeft(test::lab_leftovers(getpid(), footprint.pids)));
}

TEST(Lab, ReapsLeftoversThatInheritedOurPid) {
    PATHWHY_REQUIRE_ROOT();
    // A crashed run with our pid (pids restart after a reboot; /tmp may not) and a lab number
    // this process has not reached.
    const LabId crashed{getpid(), 1'000'000};
    const std::string ns = namespace_name(crashed, kHostRole);
    ASSERT_TRUE(run_command({"ip", "netns", "add", ns}).ok());
    const std::string dir = lab_dir(crashed);
    std::filesystem::create_directories(dir + "/root");
    std::ofstream(dir + "/dockerd.log") << "left over\n";

    const ReapReport report = reap_stale_labs();
    EXPECT_TRUE(NoneLeft(report.problems));
    EXPECT_TRUE(has(report.dirs, dir));
    EXPECT_TRUE(has(report.namespaces, ns));
    EXPECT_TRUE(NoneLeft(test::lab_leftovers(getpid())));
}

// Tells lab_holder (support/lab_holder.cpp) where to write the pids of the lab it holds.
constexpr const char* kReadyFileEnv = "PATHWHY_LAB_READY_FILE";

TEST(Lab, ReapsLabsOfKilledProcesses) {
    PATHWHY_REQUIRE_ROOT();
    const std::string ready_file = fmt::format("/tmp/pathwhy-lab-test-ready-{}", getpid());
    std::filesystem::remove(ready_file);
    const std::string log = ready_file + ".log";
    setenv(kReadyFileEnv, ready_file.c_str(), 1);  // ChildProcess passes our environment on
    ChildProcess holder({PATHWHY_LAB_HOLDER}, log);
    unsetenv(kReadyFileEnv);
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (!std::filesystem::exists(ready_file)) {
        ASSERT_FALSE(holder.wait_exit(std::chrono::milliseconds(50)))
            << "the lab holder " << holder.exit_description();
        ASSERT_LT(Clock::now(), deadline) << "the lab holder did not get ready";
    }
    std::vector<pid_t> pids;
    {
        std::ifstream in(ready_file);
        for (pid_t pid; in >> pid;) pids.push_back(pid);
    }
    kill(holder.pid(), SIGKILL);
    ASSERT_TRUE(holder.wait_exit(std::chrono::seconds(10)));
    std::filesystem::remove(ready_file);
    std::filesystem::remove(log);

    const pid_t dead = holder.pid();
    ASSERT_EQ(pids.size(), 2u);
    const auto sockets = test::shim_sockets(dead);
    EXPECT_EQ(sockets.size(), 1u) << "the held container's shim";
    EXPECT_GT(test::lab_leftovers(dead, pids).size(), 4u)
        << "the killed holder's lab is still there: namespaces, dir, mounts, dockerd...";

    const auto start = Clock::now();
    const ReapReport report = reap_stale_labs();
    fmt::print("  reaped in {:.2f} s\n", seconds_since(start));
    EXPECT_TRUE(NoneLeft(report.problems));
    EXPECT_TRUE(has(report.dirs, lab_dir({dead, 0})));
    EXPECT_TRUE(has(report.namespaces, namespace_name({dead, 0}, kHostRole)));
    EXPECT_TRUE(has(report.namespaces, namespace_name({dead, 0}, kPeerRole)));
    EXPECT_TRUE(NoneLeft(test::lab_leftovers(dead, pids, sockets)));
}

}  // namespace
}  // namespace pathwhy::lab
