// Diagnosis when Docker cannot help: no daemon at all, a socket that answers garbage, an explicit
// socket that does not exist, and bad input. A lab namespace holds a bridge named like Docker's
// (br-<12 hex>) whose route swallows the peer, and no dockerd.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "lab/naming.h"
#include "lab/netns.h"
#include "support/pathwhy_run.h"
#include "support/privileges.h"

namespace pathwhy {
namespace {

constexpr const char* kPeer = "172.31.151.55";
constexpr const char* kBridge = "br-e8395baf4d8b";

// A unix socket that accepts connections and answers each with bytes that are not HTTP.
class GarbageSocket {
public:
    explicit GarbageSocket(std::string path) : path_(std::move(path)) {
        fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path_.c_str());
        EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
        EXPECT_EQ(listen(fd_, 8), 0);
        server_ = std::thread([this] {
            while (!stop_) {
                int client = accept(fd_, nullptr, nullptr);
                if (client < 0) return;
                // Read the request first, as a real (if broken) server does: closing before the
                // client has finished connecting would test a refused connection instead.
                timeval patience{2, 0};
                setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
                char request[4096];
                (void)!read(client, request, sizeof request);
                static const char garbage[] = "\x16\x03\x01 this is not an HTTP server\r\n\r\n";
                (void)!write(client, garbage, sizeof garbage - 1);
                close(client);
            }
        });
    }
    ~GarbageSocket() {
        stop_ = true;
        shutdown(fd_, SHUT_RDWR);
        close(fd_);
        server_.join();
        std::filesystem::remove(path_);
    }
    std::string url() const { return "unix://" + path_; }

private:
    std::string path_;
    int fd_ = -1;
    std::atomic<bool> stop_{false};
    std::thread server_;
};

class NoDockerLab : public ::testing::Test {
protected:
    void SetUp() override {
        PATHWHY_REQUIRE_ROOT();
        ns_.emplace("pw" + std::to_string(getpid()) + "nd");
        ns_->ip({"link", "set", "lo", "up"});
        ns_->ip({"link", "add", "uplink", "type", "veth", "peer", "name", "uplink-end"});
        ns_->ip({"link", "set", "uplink-end", "up"});  // this kernel has no dummy links
        ns_->ip({"addr", "add", "172.18.2.172/26", "dev", "uplink"});
        ns_->ip({"link", "set", "uplink", "up"});
        ns_->ip({"route", "add", "default", "via", "172.18.2.129"});
        ns_->ip({"link", "add", kBridge, "type", "bridge"});
        ns_->ip({"addr", "add", "172.31.0.1/16", "dev", kBridge});
        ns_->ip({"link", "set", kBridge, "up"});
    }

    std::vector<std::string> args(std::vector<std::string> extra) const {
        std::vector<std::string> all{kPeer, "--netns", ns_->name()};
        all.insert(all.end(), extra.begin(), extra.end());
        return all;
    }

    std::optional<lab::LabNamespace> ns_;
};

TEST_F(NoDockerLab, NoDaemonAtAllStillDiagnosesTheRoute) {
    ASSERT_FALSE(std::filesystem::exists("/var/run/docker.sock"))
        << "this test needs a host without a Docker daemon at the default socket";
    auto run = test::run_pathwhy(args({"--json"}), {{"DOCKER_HOST", ""}});
    EXPECT_EQ(run.exit_code, 1) << run.err;
    auto j = run.json();
    EXPECT_EQ(j["verdict"], "misrouted");
    EXPECT_EQ(j["route"]["dev"], kBridge);
    EXPECT_EQ(j["docker"]["status"], "absent");
    EXPECT_EQ(j["findings"][0]["kind"], "route-into-docker-bridge");
    EXPECT_TRUE(j["findings"][0]["docker_network"].is_null());
    ASSERT_FALSE(j["notes"].empty());
    EXPECT_NE(j["notes"][0].get<std::string>().find("no daemon"), std::string::npos);
}

TEST_F(NoDockerLab, ASocketAnsweringGarbageIsReportedNotFatal) {
    GarbageSocket garbage("/tmp/pw" + std::to_string(getpid()) + "-garbage.sock");
    auto run = test::run_pathwhy(args({"--json", "--docker-host", garbage.url()}));
    EXPECT_EQ(run.exit_code, 1) << run.err;
    EXPECT_LT(run.elapsed, std::chrono::seconds(10));
    auto j = run.json();
    EXPECT_EQ(j["verdict"], "misrouted");
    EXPECT_EQ(j["docker"]["status"], "error");
    EXPECT_FALSE(j["docker"]["error"].get<std::string>().empty());
}

TEST_F(NoDockerLab, AnExplicitSocketThatDoesNotExistIsAnError) {
    auto run = test::run_pathwhy(args({"--docker-host", "unix:///nonexistent/pathwhy.sock"}));
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_TRUE(run.out.empty()) << run.out;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    EXPECT_NE(run.err.find("/nonexistent/pathwhy.sock"), std::string::npos) << run.err;
}

TEST_F(NoDockerLab, AfterRemovingTheBridgeTheRouteIsViaTheUplink) {
    ns_->ip({"link", "del", kBridge});
    auto run = test::run_pathwhy(args({"--json"}), {{"DOCKER_HOST", ""}});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    auto j = run.json();
    EXPECT_EQ(j["verdict"], "ok");
    EXPECT_EQ(j["route"]["dev"], "uplink");
    EXPECT_EQ(j["route"]["gateway"], "172.18.2.129");
}

// Bad input: one specific line on stderr, nothing on stdout, exit 2.
struct BadInput {
    std::string name;  // the test's name in ctest
    std::vector<std::string> args;
    std::string expected_in_message;
};

class BadInputs : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputs, OneLineAndExitTwo) {
    PATHWHY_REQUIRE_ROOT();
    auto run = test::run_pathwhy(GetParam().args, {{"DOCKER_HOST", ""}});
    EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
    EXPECT_TRUE(run.out.empty()) << run.out;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    EXPECT_NE(run.err.find(GetParam().expected_in_message), std::string::npos) << run.err;
}

INSTANTIATE_TEST_SUITE_P(
    Cli, BadInputs,
    ::testing::Values(
        BadInput{"OctetOutOfRange", {"300.1.2.3"}, "not an IPv4 address"},
        BadInput{"Prefix", {"172.31.0.0/16"}, "prefix"},
        BadInput{"Hostname", {"artifactory.example"}, "not an IPv4 address"},
        BadInput{"Ipv6", {"fe80::1"}, "IPv6"},
        BadInput{"NoDestination", {}, "no destination"},
        BadInput{"UnknownNamespace", {"10.0.0.1", "--netns", "pw-no-such-namespace"},
                 "pw-no-such-namespace"},
        BadInput{"NotANamespace", {"10.0.0.1", "--netns", "/etc/hostname"}, "/etc/hostname"},
        BadInput{"SshDockerHost", {"10.0.0.1", "--docker-host", "ssh://somewhere"}, "ssh://"},
        BadInput{"UnknownFlag", {"10.0.0.1", "--no-such-flag"}, "--no-such-flag"}),
    [](const ::testing::TestParamInfo<BadInput>& info) { return info.param.name; });

}  // namespace
}  // namespace pathwhy
