// A minute of healthy, mixed traffic recorded as a user who runs `record` on a busy host would:
// the peer (172.31.151.55) keeps connecting to a service on the host, the host keeps connecting
// to a service on the peer, the peer streams UDP to the host, and compose projects on networks
// unrelated to the watched range come and go — one of them pinging the peer through Docker's
// FORWARD and MASQUERADE rules. Nothing is broken, so the report must hold zero incidents, and
// the recorder must have raised none: a finding inferred from a missing event (an exit not seen
// when the recording stopped) is no incident.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/process.h"
#include "common/slowdown.h"
#include "lab/compose_labels.h"
#include "lab/lab.h"
#include "lab/peer_connections.h"
#include "lab/udp_stream.h"
#include "support/lab_args.h"
#include "support/pathwhy_run.h"
#include "support/privileges.h"
#include "support/recorder_process.h"
#include "support/temp_dir.h"

namespace pathwhy {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr int kPeerServicePort = 9090;
constexpr std::uint16_t kUdpPort = 8888, kUdpSourcePort = 40500;
constexpr int kProjects = 4;

const std::string kHostAddress = "172.18.2.172";

// The host's side of the traffic: connections to a service in the peer namespace, bounded in
// count and time (`timeout` bounds the loop even if an nc hangs), each outcome logged.
class HostConnections {
  public:
    HostConnections(const lab::Lab& lab, const std::string& dir) : log_(dir + "/host-client.log") {
        service_.emplace(lab.peer().exec_argv(
                             {"timeout", "150", "sh", "-c",
                              fmt::format("i=0; while [ $i -lt 300 ]; do timeout 20 busybox nc -l "
                                          "-p {} </dev/null >/dev/null; i=$((i+1)); done",
                                          kPeerServicePort)}),
                         dir + "/peer-service.log", 2s);
        for (int i = 0; i < 100 && !listening(lab); ++i) lab::pause_between_polls();
        client_.emplace(
            lab.host().exec_argv(
                {"timeout", "150", "sh", "-c",
                 fmt::format("i=0; while [ $i -lt 200 ]; do if echo hi | timeout 4 busybox nc -w 2 "
                             "{} {} >/dev/null 2>&1; then echo ok; else echo fail; fi; "
                             "i=$((i+1)); sleep 0.4; done",
                             lab::kPeerServiceAddress, kPeerServicePort)}),
            log_, 2s);
    }
    ~HostConnections() {
        for (auto* child : {&client_, &service_})
            if (*child && !(*child)->exited()) {
                kill(-(*child)->pid(), SIGKILL);  // the loop, its nc and its sleep
                (*child)->terminate();
            }
    }

    lab::ConnectionTally tally() const {
        lab::ConnectionTally tally;
        std::ifstream log(log_);
        for (std::string line; std::getline(log, line);) {
            tally.succeeded += line == "ok";
            tally.failed += line == "fail";
        }
        return tally;
    }

  private:
    static bool listening(const lab::Lab& lab) {
        auto sockets =
            lab.peer().exec({"ss", "-Htln", fmt::format("sport = :{}", kPeerServicePort)});
        return sockets.ok() && !sockets.out.empty();
    }

    std::string log_;
    std::optional<ChildProcess> service_;  // declared first: stopped last
    std::optional<ChildProcess> client_;
};

class RecordHealthyTraffic : public ::testing::Test {
  protected:
    void SetUp() override {
        PATHWHY_REQUIRE_ROOT();
        lab_.emplace();
        recording_ = dir_.file("healthy.rec");
    }

    void TearDown() override {
        if ((HasFailure() || std::getenv("PATHWHY_SHOW_REPORT")) &&
            std::filesystem::exists(recording_))
            std::cerr << test::run_pathwhy({"report", recording_}).out;
    }

    test::TempDir dir_;
    std::optional<lab::Lab> lab_;
    std::string recording_;
};

TEST_F(RecordHealthyTraffic, ZeroIncidents) {
    const auto watched = *Ipv4Cidr::parse("172.31.0.0/16");
    test::RecorderProcess recorder(test::lab_command({"--watch", watched.str()}, *lab_,
                                                     {"-o", recording_, "--on-incident",
                                                      "cat >> " + dir_.file("alerts.jsonl")}),
                                   dir_.path());
    ASSERT_TRUE(recorder.ready());
    const auto started = std::chrono::steady_clock::now();

    lab::PeerConnectionOptions peer_options;
    peer_options.attempts = 200;
    peer_options.interval = 300ms;
    lab::PeerConnections peer_to_host(*lab_, peer_options);
    HostConnections host_to_peer(*lab_, dir_.path());
    // The peer's route to the host (set up by PeerConnections) sends from the bastion's address:
    // the datagrams are watched traffic too.
    ChildProcess receiver(
        lab_->host().exec_argv({lab::udp_tool_path(), "receive", std::to_string(kUdpPort),
                                dir_.file("udp-received.log"), "100"}),
        dir_.file("udp-receiver.log"), 2s);
    // A datagram sent before the receiver binds is a real drop (NO_SOCKET): wait for the socket.
    const auto bound = [&] {
        auto sockets = lab_->host().exec({"ss", "-Huln", fmt::format("sport = :{}", kUdpPort)});
        return sockets.ok() && !sockets.out.empty();
    };
    for (int i = 0; i < 100 && !bound(); ++i) lab::pause_between_polls();
    ASSERT_TRUE(bound()) << "the UDP receiver does not listen";
    lab::UdpStreamOptions stream;
    stream.to = *Ipv4Address::parse(kHostAddress);
    stream.port = kUdpPort;
    stream.source_port = kUdpSourcePort;
    stream.rate = 20;
    stream.count = 1000;
    lab::UdpSender sender(*lab_, stream, dir_.file("udp-sender.log"));

    // Compose projects on networks of their own, clear of the watched range, come and go; each
    // one's container pings the peer through FORWARD and MASQUERADE while it runs.
    int cycles = 0;
    for (int i = 0; i < kProjects; ++i) {
        const std::string project = fmt::format("job{}", i);
        const lab::LabNetwork network = lab_->create_compose_network(
            project, Ipv4Cidr::parse(fmt::format("10.210.{}.0/24", i)));
        lab::ContainerOptions pinger;
        // Over before the container goes: replies to a container that is gone are not healthy.
        pinger.command = {"ping", "-c", "12", "-i", "0.5", std::string(lab::kPeerServiceAddress)};
        const std::string name = project + "-app-1";
        lab_->run_container(name, network.name, lab::compose_container_labels(project, "app", 1),
                            pinger);
        std::this_thread::sleep_for(8s);  // the pings' time (6 s and their replies), not a sync
        lab_->remove_container(name);
        lab_->remove_network(network.name);
        ++cycles;
    }
    // Let the traffic run for about a minute of recording in all, well under two.
    while (std::chrono::steady_clock::now() - started < 65s) std::this_thread::sleep_for(1s);

    EXPECT_EQ(recorder.stop(SIGTERM), "exited with 0") << recorder.log();
    const lab::ConnectionTally inbound = peer_to_host.tally(), outbound = host_to_peer.tally();
    const auto datagrams = lab::received_datagrams(dir_.file("udp-received.log"));
    std::cerr << fmt::format(
        "traffic: {} of {} connections peer→host, {} of {} host→peer, {} "
        "datagrams received, {} projects came and went\n",
        inbound.succeeded, inbound.attempted(), outbound.succeeded, outbound.attempted(),
        datagrams.size(), cycles);
    // The traffic was there and healthy: otherwise zero incidents would prove nothing.
    // Each service is one busybox nc after another: a connect that lands between two of them is
    // refused. Under emulation (a 6.1 guest: 2 of 159) starting the next nc takes long enough
    // for that to happen now and then; it is the generator's gap, not the path's.
    const auto refused_at_most = [](const lab::ConnectionTally& tally) {
        return std::max(1, tally.attempted() / 50);
    };
    EXPECT_GE(inbound.succeeded, 50);
    EXPECT_LE(inbound.failed, lab_slowdown() > 1 ? refused_at_most(inbound) : 0);
    EXPECT_GE(outbound.succeeded, 40);
    EXPECT_LE(outbound.failed, lab_slowdown() > 1 ? refused_at_most(outbound) : 0);
    EXPECT_GE(datagrams.size(), 500u);
    EXPECT_EQ(cycles, kProjects);

    const std::string log = recorder.log();
    EXPECT_EQ(log.find("INCIDENT"), std::string::npos) << log;
    EXPECT_FALSE(std::filesystem::exists(dir_.file("alerts.jsonl")))
        << "the recorder raised an incident";

    test::PathwhyRun run = test::run_pathwhy({"report", recording_, "--format", "json"});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    const json report = run.json();
    EXPECT_TRUE(report["incidents"].empty()) << report["incidents"].dump(2);
    EXPECT_TRUE(report["alerts"].empty()) << report["alerts"].dump(2);
    EXPECT_EQ(report["covers"]["complete"], true);
    bool tracing = false;
    for (const auto& source : report["session"]["sources"])
        if (source["name"] == "packet tracer") tracing = source["active"];
    EXPECT_TRUE(tracing) << report["session"].dump(2);
    // Packet events of all that traffic, not just snapshots.
    EXPECT_GE(report["events"].get<int>(), 1000);
    std::cerr << "not counted as drops: " << report["unfinished_packets"].dump()
              << ", lost events: " << report["lost_events"] << "\n";
}

}  // namespace
}  // namespace pathwhy
