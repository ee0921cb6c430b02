// Seed 003 end to end, with a real dockerd in a lab: a container publishes 8888/udp, the peer
// streams to it from a fixed port, and the service is redeployed onto a new network with a new
// address while the stream goes on. `pathwhy :8888/udp --json` must report stale-conntrack with
// the old and new addresses and the exact fix; after `--fix --yes` (or the printed command) the
// receiver in the new container must count the sender's datagrams again. Both forms (an entry
// without NAT, as Docker 20.10 leaves it; an entry held on the old DNAT, as before 23.0), with the
// userland proxy on and off, set in daemon.json or on dockerd's command line. (The scenario on
// Docker 26.1, which flushes the gap entry, is scenarios_test's.)
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <optional>

#include "common/slowdown.h"
#include "lab/lab.h"
#include "lab/seed003.h"
#include "support/docker_engines.h"
#include "support/lab_args.h"
#include "support/pathwhy_run.h"
#include "support/privileges.h"

namespace pathwhy {
namespace {

const auto kReceiveTimeout = scaled_timeout(std::chrono::seconds(10));

std::string evidence_with(const nlohmann::json& finding, const std::string& text) {
    for (const auto& line : finding["evidence"])
        if (line.get<std::string>().find(text) != std::string::npos) return line;
    return "";
}

class Seed003Lab : public ::testing::Test {
  protected:
    // The system's engine by default: the gap entry is the form 20.10 leaves.
    void build(bool userland_proxy, bool on_command_line = false,
               std::string_view engine = lab::kSystemEngine) {
        lab::LabOptions options;
        options.dockerd.engine = engine;
        options.dockerd.userland_proxy = userland_proxy;
        options.dockerd.settings_on_command_line = on_command_line;
        lab_.emplace(options);
        seed_.emplace(*lab_);
        seed_->up();
    }

    void TearDown() override {
        seed_.reset();
        lab_.reset();
    }

    test::PathwhyRun pathwhy(std::vector<std::string> args) const {
        return test::run_pathwhy(test::lab_command(std::move(args), *lab_));
    }

    // The diagnosis of the broken port: stale-conntrack first, naming the new container.
    nlohmann::json expect_stale(const std::string& nat) const {
        test::PathwhyRun run = pathwhy({":8888/udp", "--json"});
        EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
        auto j = run.json();
        EXPECT_EQ(j["target"], ":8888/udp");
        EXPECT_EQ(j["verdict"], "misrouted");
        EXPECT_EQ(j["port"]["container"]["ipv4"], seed_->current().app.ip.str());
        EXPECT_EQ(j["port"]["container"]["name"], seed_->current().app.name);
        const auto& finding = j["findings"][0];
        EXPECT_EQ(finding["kind"], "stale-conntrack");
        EXPECT_EQ(finding["severity"], "critical");
        EXPECT_EQ(finding["conntrack"]["nat"], nat);
        EXPECT_EQ(finding["conntrack"]["port"]["container"]["ipv4"], seed_->current().app.ip.str());
        const auto& entries = finding["conntrack"]["entries"];
        EXPECT_EQ(entries.size(), 1u) << finding.dump(2);
        EXPECT_EQ(entries[0]["original"]["src"], seed_->sender().str());
        EXPECT_EQ(entries[0]["original"]["sport"], lab::kSeed003SenderPort);
        EXPECT_EQ(entries[0]["original"]["dst"], seed_->host_address().str());
        EXPECT_TRUE(entries[0]["age_seconds"].is_number()) << "the lab turns timestamps on";
        const std::string summary = finding["summary"];
        EXPECT_NE(summary.find(seed_->current().app.ip.str()), std::string::npos) << summary;
        const std::string fix = finding["fix"][0];
        EXPECT_NE(fix.find("conntrack -D -p udp"), std::string::npos) << fix;
        EXPECT_NE(fix.find(lab_->host().name()), std::string::npos) << fix;
        return finding;
    }

    void expect_fixed_by_pathwhy() const {
        const std::size_t before = seed_->received_from_sender();
        test::PathwhyRun fixed = pathwhy({":8888/udp", "--fix", "--yes", "--json"});
        EXPECT_EQ(fixed.exit_code, 0) << fixed.out << fixed.err;
        auto j = fixed.json();
        EXPECT_EQ(j["verdict"], "ok") << j.dump(2);
        EXPECT_EQ(j["applied_fix"]["deleted"].size(), 1u) << j["applied_fix"].dump(2);
        EXPECT_EQ(j["applied_fix"]["before"]["verdict"], "misrouted");
        for (const auto& finding : j["findings"]) EXPECT_NE(finding["kind"], "stale-conntrack");
        ASSERT_TRUE(seed_->wait_for_sender_datagrams(before, kReceiveTimeout))
            << "the new container still gets nothing from the sender after --fix";
    }

    std::optional<lab::Lab> lab_;
    std::optional<lab::Seed003> seed_;
};

TEST_F(Seed003Lab, WithoutUserlandProxyTheGapEntryHasNoNatAndFixRestoresTheStream) {
    PATHWHY_REQUIRE_ROOT();
    build(/*userland_proxy=*/false);
    seed_->redeploy();
    EXPECT_EQ(seed_->received_from_sender(), 0u) << "the symptom: the new container gets nothing";
    const auto finding = expect_stale("none");
    EXPECT_EQ(finding["conntrack"]["stale_target"]["ipv4"], seed_->host_address().str());
    bool names_no_proxy = false;
    for (const auto& line : finding["evidence"])
        names_no_proxy |= line.get<std::string>().find("userland-proxy") != std::string::npos;
    EXPECT_TRUE(names_no_proxy) << finding["evidence"].dump(2);
    expect_fixed_by_pathwhy();
}

TEST_F(Seed003Lab, WithUserlandProxyTheGapEntrySendsTheStreamThroughDockerProxy) {
    PATHWHY_REQUIRE_ROOT();
    build(/*userland_proxy=*/true);
    seed_->redeploy();
    EXPECT_EQ(seed_->received_from_sender(), 0u)
        << "docker-proxy relays the stream: the container never sees the sender's address";
    const auto finding = expect_stale("none");
    bool names_proxy = false;
    for (const auto& line : finding["evidence"])
        names_proxy |= line.get<std::string>().find("docker-proxy") != std::string::npos;
    EXPECT_TRUE(names_proxy) << finding["evidence"].dump(2);
    // Known from the relay that runs, not from daemon.json's "userland-proxy": true.
    EXPECT_NE(evidence_with(finding, "with the userland proxy on (docker-proxy (pid "), "")
        << finding["evidence"].dump(2);
    expect_fixed_by_pathwhy();
}

// Issue 11: dockerd started with --userland-proxy=false and no daemon.json. What pathwhy says
// comes from the running daemon (its command line), never from the absent file's default —
// whether pathwhy is pointed at an absent daemon.json or left to find the daemon's own file.
TEST_F(Seed003Lab, WithTheProxyOffOnDockerdsCommandLineTheExplanationQuotesTheFlag) {
    PATHWHY_REQUIRE_ROOT();
    build(/*userland_proxy=*/false, /*on_command_line=*/true);
    seed_->redeploy();
    const std::string flag =
        fmt::format("dockerd (pid {}) runs with --userland-proxy=false", lab_->dockerd().pid());
    const std::string absent = lab_->dockerd().dir() + "/no-daemon.json";
    const std::vector<std::vector<std::string>> places{
        {"--netns", lab_->host().name(), "--docker-host", lab_->docker_host(), "--daemon-json",
         absent},
        {"--netns", lab_->host().name(), "--docker-host", lab_->docker_host()}};
    for (const auto& place : places) {
        std::vector<std::string> args{":8888/udp", "--json"};
        args.insert(args.end(), place.begin(), place.end());
        test::PathwhyRun run = test::run_pathwhy(args);
        ASSERT_EQ(run.exit_code, 1) << run.out << run.err;
        const auto finding = run.json()["findings"][0];
        ASSERT_EQ(finding["kind"], "stale-conntrack") << run.out;
        const std::string proxy_line = evidence_with(finding, "userland proxy");
        EXPECT_NE(proxy_line.find("with the userland proxy off (" + flag + ")"), std::string::npos)
            << finding["evidence"].dump(2);
        EXPECT_EQ(evidence_with(finding, "Docker's default"), "") << finding["evidence"].dump(2);
        EXPECT_EQ(evidence_with(finding, "reach docker-proxy"), "") << finding["evidence"].dump(2);
    }
}

TEST_F(Seed003Lab, TheOldDnatHeldAliveNamesOldAndNewAddressesAndThePrintedFixHealsIt) {
    PATHWHY_REQUIRE_ROOT();
    build(/*userland_proxy=*/false);
    seed_->redeploy_holding_old_nat();
    const std::string old_ip = seed_->old_deployment().app.ip.str();
    ASSERT_NE(old_ip, seed_->current().app.ip.str());
    const auto finding = expect_stale("gone-address");
    EXPECT_EQ(finding["conntrack"]["stale_target"]["ipv4"], old_ip);
    EXPECT_EQ(finding["conntrack"]["stale_target"]["port"], lab::kSeed003Port);
    const std::string summary = finding["summary"];
    EXPECT_NE(summary.find(old_ip), std::string::npos) << summary;

    // The command exactly as printed, in a shell, as a user would paste it.
    const std::size_t before = seed_->received_from_sender();
    const std::string command = finding["fix"][0];
    auto result = run_command({"sh", "-c", command});
    ASSERT_TRUE(result.ok()) << command << ": " << result.failure();
    ASSERT_TRUE(seed_->wait_for_sender_datagrams(before, kReceiveTimeout));
    test::PathwhyRun after = pathwhy({":8888/udp", "--json"});
    EXPECT_EQ(after.exit_code, 0) << after.out << after.err;
    EXPECT_EQ(after.json()["verdict"], "ok");
}

// On 26.1 the gap entry cannot form (scenarios_test), but an entry held on the old DNAT still
// can: its explanation must quote 26.1's flush by host port, and no output — text or JSON —
// anything that only 20.10 does.
TEST_F(Seed003Lab, OnDocker26TheHeldDnatIsExplainedByItsOwnFlushAndNo2010Fact) {
    PATHWHY_REQUIRE_ROOT();
    PATHWHY_REQUIRE_ENGINE(std::string(lab::kUnpackedEngine));
    build(/*userland_proxy=*/false, /*on_command_line=*/false, lab::kUnpackedEngine);
    const std::string version = lab_->dockerd().server_version();
    ASSERT_EQ(version.rfind("26.1.", 0), 0u) << version;
    seed_->redeploy_holding_old_nat();
    const auto finding = expect_stale("gone-address");
    EXPECT_NE(evidence_with(finding, "Docker " + version +
                                         " flushes UDP entries for host port 8888 whenever"),
              "")
        << finding["evidence"].dump(2);
    for (const auto& format :
         {std::vector<std::string>{":8888/udp", "--json"}, std::vector<std::string>{":8888/udp"},
          std::vector<std::string>{"scan", "--json"}}) {
        test::PathwhyRun run = pathwhy(format);
        EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
        for (const auto& fact : test::docker_20_10_facts_in(run.out))
            ADD_FAILURE() << "a 20.10 fact on " << version << ": '" << fact << "'\n" << run.out;
    }
}

// Live: the packets a stale entry keeps catching. Every datagram of the sender passes PREROUTING
// on the established entry and leaves it with the destination the entry says — this host itself
// (no DNAT), or the old container's address (the held DNAT) — never the new container's.
TEST_F(Seed003Lab, WatchingThePortShowsTheStreamStillFollowingTheStaleEntry) {
    PATHWHY_REQUIRE_ROOT();
    build(/*userland_proxy=*/false);
    seed_->redeploy_holding_old_nat();
    const std::string old_ip = seed_->old_deployment().app.ip.str();

    test::PathwhyRun run = pathwhy({":8888/udp", "--watch", "2", "--json"});
    ASSERT_EQ(run.exit_code, 1) << run.out << run.err;
    const auto j = run.json();
    EXPECT_EQ(j["findings"][0]["kind"], "stale-conntrack") << j.dump(1);
    EXPECT_EQ(j["trace"]["mode"], "watch");
    int caught = 0;
    for (const auto& event : j["observed"]) {
        if (event["kind"] != "netfilter" || event["hook"] != "PREROUTING" ||
            event["edge"] != "exit" || event["tuple"]["src"] != seed_->sender().str())
            continue;
        EXPECT_EQ(event["tuple"]["dst"], old_ip) << event.dump();
        EXPECT_EQ(event["conntrack"]["state"], "ESTABLISHED") << event.dump();
        ++caught;
    }
    EXPECT_GE(caught, 10) << "the stream runs at 20 datagrams/s: " << j["observed"].dump(1);
}

TEST_F(Seed003Lab, WatchingThePortWithoutNatShowsTheStreamDeliveredToTheHost) {
    PATHWHY_REQUIRE_ROOT();
    build(/*userland_proxy=*/false);
    seed_->redeploy();

    test::PathwhyRun run = pathwhy({":8888/udp", "--watch", "2", "--json"});
    ASSERT_EQ(run.exit_code, 1) << run.out << run.err;
    const auto j = run.json();
    EXPECT_EQ(j["findings"][0]["conntrack"]["nat"], "none");
    int caught = 0;
    for (const auto& event : j["observed"]) {
        if (event["kind"] != "netfilter" || event["hook"] != "INPUT" ||
            event["tuple"]["src"] != seed_->sender().str())
            continue;
        EXPECT_EQ(event["tuple"]["dst"], seed_->host_address().str()) << event.dump();
        ++caught;
    }
    EXPECT_GE(caught, 10) << "the stream is delivered to this host: " << j["observed"].dump(1);
}

TEST_F(Seed003Lab, TextContainerAndScanViewsOfTheSameIncident) {
    PATHWHY_REQUIRE_ROOT();
    build(/*userland_proxy=*/false);
    seed_->redeploy();

    test::PathwhyRun text = pathwhy({":8888/udp"});
    EXPECT_EQ(text.exit_code, 1) << text.err;
    EXPECT_EQ(text.out.rfind("MISROUTED", 0), 0u) << text.out;
    EXPECT_NE(text.out.find("stale-conntrack"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("$ ip netns exec " + lab_->host().name() + " conntrack -D"),
              std::string::npos)
        << text.out;

    test::PathwhyRun container = pathwhy({"container:" + seed_->current().app.name, "--json"});
    EXPECT_EQ(container.exit_code, 1) << container.out << container.err;
    auto c = container.json();
    EXPECT_EQ(c["destination"], seed_->current().app.ip.str());
    EXPECT_EQ(c["findings"][0]["kind"], "stale-conntrack");

    test::PathwhyRun on_address = pathwhy({seed_->host_address().str() + ":8888/udp", "--json"});
    EXPECT_EQ(on_address.exit_code, 1) << on_address.out << on_address.err;
    EXPECT_EQ(on_address.json()["findings"][0]["kind"], "stale-conntrack");

    test::PathwhyRun scan = pathwhy({"scan", "--json"});
    EXPECT_EQ(scan.exit_code, 1) << scan.out << scan.err;
    auto s = scan.json();
    EXPECT_EQ(s["verdict"], "problems");
    EXPECT_EQ(s["findings"][0]["kind"], "stale-conntrack");
    EXPECT_EQ(s["checked"]["published_ports"], nlohmann::json::array({"8888/udp"}));
}

TEST_F(Seed003Lab, BadTargetsGetOneLineAndExitTwo) {
    PATHWHY_REQUIRE_ROOT();
    lab_.emplace();
    for (const std::string target : {":99999/udp", "container:", "container:no-such-app"}) {
        test::PathwhyRun run = pathwhy({target});
        EXPECT_EQ(run.exit_code, 2) << target << ": " << run.out << run.err;
        EXPECT_TRUE(run.out.empty()) << target << ": " << run.out;
        EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << target << ": " << run.err;
        EXPECT_EQ(run.err.rfind("pathwhy: cannot diagnose '" + target + "'", 0), 0u) << run.err;
    }
}

}  // namespace
}  // namespace pathwhy
