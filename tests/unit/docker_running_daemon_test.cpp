// The daemon as it runs: dockerd's command line and its docker-proxy children parsed from argv,
// which dockerd serves the endpoint pathwhy asks, and the userland proxy setting explanations
// quote — what the processes show before daemon.json, daemon.json before Docker's default —
// down to the stale-conntrack finding's sentence (issue 11: a dockerd started with
// --userland-proxy=false and no daemon.json).
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <algorithm>

#include "docker/running_daemon.h"
#include "explain/docker_settings.h"
#include "explain/prevention.h"
#include "explain/stale_conntrack.h"
#include "support/conntrack_fixture.h"

namespace pathwhy {
namespace {

const HostPort kPort{8888, IPPROTO_UDP};

bool any_line_has(const std::vector<std::string>& lines, const std::string& text) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) {
        return line.find(text) != std::string::npos;
    });
}

TEST(DockerdCommandLine, ReadsTheUserlandProxyConfigFileAndHostsInEveryFlagForm) {
    auto line = parse_dockerd_command_line({"/usr/sbin/dockerd", "-H", "fd://",
                                            "--containerd=/run/containerd/containerd.sock",
                                            "--userland-proxy=false"});
    EXPECT_EQ(line.userland_proxy, false);
    EXPECT_EQ(line.hosts, std::vector<std::string>{"fd://"});
    EXPECT_TRUE(line.config_file.empty());

    line = parse_dockerd_command_line({"dockerd", "--config-file", "/lab/daemon.json",
                                       "--host=unix:///lab/docker.sock", "--userland-proxy"});
    EXPECT_EQ(line.userland_proxy, true);
    EXPECT_EQ(line.config_file, "/lab/daemon.json");
    EXPECT_EQ(line.hosts, std::vector<std::string>{"unix:///lab/docker.sock"});

    EXPECT_EQ(parse_dockerd_command_line({"dockerd", "--userland-proxy=0"}).userland_proxy, false);
    EXPECT_EQ(parse_dockerd_command_line({"dockerd", "--userland-proxy=T"}).userland_proxy, true);
    // Not a value dockerd accepts (it would not have started), nor another flag's prefix.
    EXPECT_FALSE(parse_dockerd_command_line({"dockerd", "--userland-proxy=maybe"}).userland_proxy);
    EXPECT_FALSE(
        parse_dockerd_command_line({"dockerd", "--userland-proxy-path=/x"}).userland_proxy);
    EXPECT_EQ(parse_dockerd_command_line({"dockerd", "--config-file=/etc/d.json"}).config_file,
              "/etc/d.json");
}

TEST(DockerdCommandLine, ReadsBipAndAddressPools) {
    const auto line = parse_dockerd_command_line(
        {"dockerd", "--bip=10.200.0.1/24", "--default-address-pool", "base=10.10.0.0/16,size=24",
         "--default-address-pool=base=fd00::/48,size=64",
         "--default-address-pool=size=20,base=192.168.0.0/16"});
    ASSERT_TRUE(line.bip);
    EXPECT_EQ(line.bip->str(), "10.200.0.1/24");
    ASSERT_EQ(line.address_pools.size(), 2u) << "the IPv6 pool is skipped, as in daemon.json";
    EXPECT_EQ(line.address_pools[0].base.str(), "10.10.0.0/16");
    EXPECT_EQ(line.address_pools[0].size, 24);
    EXPECT_EQ(line.address_pools[1].base.str(), "192.168.0.0/16");
    EXPECT_EQ(line.address_pools[1].size, 20);
    EXPECT_TRUE(
        parse_dockerd_command_line({"dockerd", "--default-address-pool=base=10.0.0.0/8,size=4"})
            .address_pools.empty())
        << "a size below the base's prefix";
}

TEST(DockerSettings, PoolsAndBipOnDockerdsCommandLineBeatDaemonJson) {
    Snapshot snapshot;
    DockerState& docker = snapshot.docker;
    docker.daemon_config.path = "/etc/docker/daemon.json";
    docker.daemon_config.default_address_pools = {{*Ipv4Cidr::parse("172.80.0.0/16"), 24}};
    EXPECT_EQ(docker_address_pools(docker).where, "/etc/docker/daemon.json");
    EXPECT_FALSE(docker_bip(docker));

    docker.running.dockerd_pid = 812;
    docker.running.address_pool_flags = {{*Ipv4Cidr::parse("192.168.0.0/16"), 20}};
    docker.running.bip_flag = Ipv4Cidr::parse("10.200.0.1/24");
    const AddressPoolsFact pools = docker_address_pools(docker);
    EXPECT_TRUE(pools.from_command_line);
    ASSERT_EQ(pools.pools.size(), 1u);
    EXPECT_EQ(pools.pools[0].base.str(), "192.168.0.0/16");
    EXPECT_EQ(docker_bip(docker)->str(), "10.200.0.1/24");

    const auto lines = pool_prevention(snapshot, *Ipv4Cidr::parse("192.168.0.0/16"), nullptr);
    EXPECT_TRUE(any_line_has(lines,
                             "# dockerd's command line (pid 812) sets default-address-pools "
                             "base 192.168.0.0/16, which overlaps 192.168.0.0/16"));
    EXPECT_TRUE(any_line_has(lines, "drop --default-address-pool and --bip"));
    EXPECT_FALSE(any_line_has(lines, "172.80.0.0/16")) << "the file's pools are not the daemon's";
}

TEST(DockerdCommandLine, ADaemonServesTheEndpointItListensOn) {
    const auto default_socket =
        parse_engine_endpoint("unix:///var/run/docker.sock", EndpointSource::built_in_default);
    const auto lab_socket =
        parse_engine_endpoint("unix:///tmp/pathwhy-lab-1-0/docker.sock", EndpointSource::flag);
    EXPECT_TRUE(dockerd_serves({}, default_socket));
    EXPECT_TRUE(dockerd_serves({"fd://"}, default_socket));
    EXPECT_TRUE(dockerd_serves({"unix:///run/docker.sock"}, default_socket)) << "/var/run is /run";
    EXPECT_FALSE(dockerd_serves({}, lab_socket));
    EXPECT_FALSE(dockerd_serves({"fd://"}, lab_socket));
    EXPECT_TRUE(dockerd_serves({"tcp://0.0.0.0:2375", "unix:///tmp/pathwhy-lab-1-0/docker.sock"},
                               lab_socket));
    EXPECT_FALSE(dockerd_serves({"unix:///tmp/pathwhy-lab-2-0/docker.sock"}, lab_socket));
    EXPECT_FALSE(dockerd_serves({"ssh://somewhere"}, lab_socket));
}

TEST(DockerProxyCommandLine, NamesTheProtocolAndHostPort) {
    auto proxy = parse_docker_proxy_command_line(
        {"/usr/sbin/docker-proxy", "-proto", "udp", "-host-ip", "0.0.0.0", "-host-port", "8888",
         "-container-ip", "172.17.0.2", "-container-port", "8888"});
    ASSERT_TRUE(proxy);
    EXPECT_EQ(proxy->protocol, IPPROTO_UDP);
    EXPECT_EQ(proxy->host_port, 8888);
    EXPECT_FALSE(
        parse_docker_proxy_command_line({"docker-proxy", "-proto", "sctp", "-host-port", "8888"}));
    EXPECT_FALSE(parse_docker_proxy_command_line({"docker-proxy", "-proto", "tcp"}));
    EXPECT_FALSE(parse_docker_proxy_command_line({"nc", "-proto", "tcp", "-host-port", "80"}));
}

// Seed 003's gap, captured with daemon.json's "userland-proxy": false, as a daemon started
// with flags and no daemon.json would be seen instead.
Snapshot gap_without_daemon_json() {
    Snapshot snapshot = test::seed003_snapshot("seed003_gap");
    snapshot.docker.daemon_config = DaemonConfig{};
    snapshot.docker.daemon_config.path = "/etc/docker/daemon.json";
    return snapshot;
}

TEST(UserlandProxyFact, TheRunningDaemonsFlagBeatsTheAbsentFilesDefault) {
    Snapshot snapshot = gap_without_daemon_json();
    EXPECT_TRUE(userland_proxy_fact(snapshot.docker).on) << "nothing known: Docker's default";
    EXPECT_NE(userland_proxy_fact(snapshot.docker).basis.find("Docker's default"),
              std::string::npos);

    RunningDaemon& running = snapshot.docker.running;
    running.dockerd_pid = 812;
    running.command_line = {"dockerd", "--userland-proxy=false"};
    running.userland_proxy_flag = false;
    const UserlandProxyFact fact = userland_proxy_fact(snapshot.docker, kPort);
    EXPECT_FALSE(fact.on);
    EXPECT_EQ(fact.basis, "dockerd (pid 812) runs with --userland-proxy=false");

    const Finding finding = stale_conntrack_findings(snapshot, kPort).at(0);
    EXPECT_TRUE(any_line_has(finding.evidence,
                             "with the userland proxy off (dockerd (pid 812) "
                             "runs with --userland-proxy=false)"));
    EXPECT_FALSE(any_line_has(finding.evidence, "Docker's default"));
    EXPECT_FALSE(any_line_has(finding.evidence, "reach docker-proxy"));
}

TEST(UserlandProxyFact, WithoutFlagsTheMissingDockerProxyOfAPublishedPortSaysOff) {
    Snapshot snapshot = gap_without_daemon_json();
    snapshot.docker.running.dockerd_pid = 812;
    const UserlandProxyFact fact = userland_proxy_fact(snapshot.docker, kPort);
    EXPECT_FALSE(fact.on) << "seed003-app-1 publishes 8888/udp and no docker-proxy holds it";
    EXPECT_NE(fact.basis.find("no docker-proxy"), std::string::npos) << fact.basis;

    for (auto& container : snapshot.docker.containers) container.ports.clear();
    EXPECT_TRUE(userland_proxy_fact(snapshot.docker, kPort).on) << "nothing published: no sign";
}

TEST(UserlandProxyFact, ADockerProxyHoldingThePortSaysOnWhateverTheFileSays) {
    Snapshot snapshot = test::seed003_snapshot("seed003_gap");  // "userland-proxy": false
    EXPECT_FALSE(userland_proxy_fact(snapshot.docker).on);
    EXPECT_NE(userland_proxy_fact(snapshot.docker).basis.find("\"userland-proxy\": false in"),
              std::string::npos);
    snapshot.docker.running.dockerd_pid = 812;
    snapshot.docker.running.proxies = {{913, IPPROTO_UDP, 8888}};
    const UserlandProxyFact fact = userland_proxy_fact(snapshot.docker, kPort);
    EXPECT_TRUE(fact.on);
    EXPECT_EQ(fact.basis, "docker-proxy (pid 913) holds 8888/udp");
    // Another port's relay shows the daemon-wide setting just as well.
    EXPECT_TRUE(userland_proxy_fact(snapshot.docker, HostPort{53, IPPROTO_UDP}).on);
    const Finding finding = stale_conntrack_findings(snapshot, kPort).at(0);
    EXPECT_TRUE(
        any_line_has(finding.evidence, "with the userland proxy on (docker-proxy (pid 913)"));
}

TEST(UserlandProxyFact, ARecordingsFalseCameFromTheFile) {
    Snapshot snapshot = gap_without_daemon_json();
    snapshot.docker.daemon_config.userland_proxy = false;  // as record/ restores it: no key flag
    const UserlandProxyFact fact = userland_proxy_fact(snapshot.docker);
    EXPECT_FALSE(fact.on);
    EXPECT_NE(fact.basis.find("/etc/docker/daemon.json"), std::string::npos);
}

}  // namespace
}  // namespace pathwhy
