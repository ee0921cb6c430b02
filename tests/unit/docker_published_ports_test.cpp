// Where packets to a published port go, as Docker tells it: the IPv4 bindings of /containers/json
// "Ports" (exposed-only ports and IPv6 bindings left out, junk tolerated) and daemon.json's
// "userland-proxy".
#include <gtest/gtest.h>
#include <netinet/in.h>

#include "docker/daemon_config.h"
#include "docker/engine_json.h"
#include "support/docker_fixture.h"
#include "support/seed_fixture.h"

namespace pathwhy {
namespace {

TEST(PublishedPorts, IPv4BindingsOfTheContainerList) {
    auto containers = parse_container_list_json(test::docker_fixture("27/containers.json"));
    ASSERT_FALSE(containers.empty());
    const auto& web = containers[0];
    ASSERT_EQ(web.ports.size(), 1u) << "the [::]:8080 binding is IPv6";
    EXPECT_EQ(web.ports[0].host_ip, Ipv4Address{});
    EXPECT_EQ(web.ports[0].host_port, 8080);
    EXPECT_EQ(web.ports[0].container_port, 80);
    EXPECT_EQ(web.ports[0].protocol, IPPROTO_TCP);

    auto seed003 =
        parse_container_list_json(test::read_fixture("conntrack/seed003_gap/containers.json"));
    ASSERT_EQ(seed003.size(), 1u);
    ASSERT_EQ(seed003[0].ports.size(), 1u);
    EXPECT_EQ(seed003[0].ports[0].protocol, IPPROTO_UDP);
    EXPECT_EQ(seed003[0].ports[0].host_port, 8888);
}

TEST(PublishedPorts, ExposedOnlyOddAndOutOfRangeEntriesAreSkipped) {
    auto containers = parse_container_list_json(R"([{"Id": "c1", "Ports": [
        {"PrivatePort": 80, "Type": "tcp"},
        {"IP": "127.0.0.1", "PrivatePort": 53, "PublicPort": 5353, "Type": "udp"},
        {"IP": "0.0.0.0", "PrivatePort": 132, "PublicPort": 132, "Type": "sctp"},
        {"IP": "0.0.0.0", "PrivatePort": 1, "PublicPort": 70000, "Type": "tcp"},
        {"IP": 7, "PrivatePort": "80", "PublicPort": 80, "Type": "tcp"},
        "junk"]}])");
    ASSERT_EQ(containers.size(), 1u);
    ASSERT_EQ(containers[0].ports.size(), 1u);
    EXPECT_EQ(containers[0].ports[0].host_ip, *Ipv4Address::parse("127.0.0.1"));
    EXPECT_EQ(containers[0].ports[0].host_port, 5353);
    EXPECT_TRUE(parse_container_list_json(R"([{"Id": "c2", "Ports": null}])")[0].ports.empty());
}

TEST(DaemonConfigUserlandProxy, OnUnlessSetFalse) {
    EXPECT_TRUE(parse_daemon_config("{}", "d.json").userland_proxy);
    EXPECT_FALSE(parse_daemon_config(R"({"userland-proxy": false})", "d.json").userland_proxy);
    auto odd = parse_daemon_config(R"({"userland-proxy": "no"})", "d.json");
    EXPECT_TRUE(odd.userland_proxy);
    EXPECT_NE(odd.error.find("userland-proxy"), std::string::npos);
}

}  // namespace
}  // namespace pathwhy
