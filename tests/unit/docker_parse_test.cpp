// The Docker layer's pure parts: endpoint URLs, API version negotiation, Engine API JSON (recorded
// from 20.10, written in 27's shape, and deliberately odd), daemon.json and RFC 3339 timestamps.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "docker/api_version.h"
#include "docker/daemon_config.h"
#include "docker/docker_endpoint.h"
#include "docker/docker_error.h"
#include "docker/engine_json.h"
#include "docker/rfc3339.h"
#include "support/docker_fixture.h"

namespace pathwhy {
namespace {

using test::docker_fixture;

const DockerNetwork& by_name(const std::vector<DockerNetwork>& networks, const std::string& name) {
    for (const auto& network : networks)
        if (network.name == name) return network;
    throw std::runtime_error("no network " + name);
}

const DockerContainer& by_name(const std::vector<DockerContainer>& containers,
                               const std::string& name) {
    for (const auto& container : containers)
        if (container.name == name) return container;
    throw std::runtime_error("no container " + name);
}

std::string error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return std::string(e.what()) + " (" + e.hint() + ")";
    } catch (const std::exception& e) {
        return e.what();
    }
    return "no error";
}

// --- endpoints ---------------------------------------------------------------------------------

TEST(DockerEndpoint, AcceptsUnixUrlsAndPlainPaths) {
    auto url = parse_engine_endpoint("unix:///var/run/docker.sock", EndpointSource::flag);
    EXPECT_EQ(url.transport, EngineEndpoint::Transport::unix_socket);
    EXPECT_EQ(url.socket_path, "/var/run/docker.sock");
    EXPECT_EQ(url.url(), "unix:///var/run/docker.sock");
    EXPECT_FALSE(url.is_default());

    auto path = parse_engine_endpoint("/run/user/1000/docker.sock", EndpointSource::environment);
    EXPECT_EQ(path.socket_path, "/run/user/1000/docker.sock");
    EXPECT_EQ(path.url(), "unix:///run/user/1000/docker.sock");
}

TEST(DockerEndpoint, AcceptsTcpWithDefaultPortAndBracketedIpv6) {
    auto full = parse_engine_endpoint("tcp://10.0.0.5:2376", EndpointSource::flag);
    EXPECT_EQ(full.transport, EngineEndpoint::Transport::tcp);
    EXPECT_EQ(full.host, "10.0.0.5");
    EXPECT_EQ(full.port, 2376);
    EXPECT_EQ(full.url(), "tcp://10.0.0.5:2376");

    auto bare = parse_engine_endpoint("tcp://dockerhost/", EndpointSource::flag);
    EXPECT_EQ(bare.host, "dockerhost");
    EXPECT_EQ(bare.port, 2375);

    auto v6 = parse_engine_endpoint("tcp://[::1]:2375", EndpointSource::flag);
    EXPECT_EQ(v6.host, "::1");
    EXPECT_EQ(v6.url(), "tcp://[::1]:2375");
}

TEST(DockerEndpoint, RejectsWhatItCannotUseWithSpecificReasons) {
    struct Case {
        std::string text;
        std::string says;
    };
    const Case cases[] = {
        {"", "it is empty"},
        {"unix://", "no socket path"},
        {"unix://docker.sock", "must be absolute"},
        {"unix:///" + std::string(200, 'x'), "limited to 107 bytes"},
        {"ssh://admin@build-01", "ssh -nNL"},
        {"npipe:////./pipe/docker_engine", "named pipes"},
        {"fd://", "dockerd listen address"},
        {"https://docker.example:2376", "TLS"},
        {"tcp://", "no host"},
        {"tcp://:2375", "no host"},
        {"tcp://dockerhost:", "no port"},
        {"tcp://dockerhost:99999", "not a port number"},
        {"tcp://dockerhost:ssh", "not a port number"},
        {"tcp://::1:2375", "brackets"},
        {"tcp://[::1", "missing ']'"},
        {"tcp://dockerhost:2375/v1.41", "path after host:port"},
        {"docker.sock", "not a Docker endpoint"},
        {"http://localhost:2375", "not a Docker endpoint"},
    };
    for (const auto& c : cases) {
        std::string message =
            error_of([&] { parse_engine_endpoint(c.text, EndpointSource::flag); });
        EXPECT_NE(message.find("cannot use Docker endpoint \"" + c.text + "\""), std::string::npos)
            << message;
        EXPECT_NE(message.find(c.says), std::string::npos) << c.text << " -> " << message;
    }
}

TEST(DockerEndpoint, FlagBeatsEnvironmentBeatsDefault) {
    auto flag =
        resolve_engine_endpoint(std::string("unix:///tmp/flag.sock"), "unix:///tmp/env.sock");
    EXPECT_EQ(flag.socket_path, "/tmp/flag.sock");
    EXPECT_EQ(flag.source, EndpointSource::flag);

    auto env = resolve_engine_endpoint(std::nullopt, "tcp://127.0.0.1:2375");
    EXPECT_EQ(env.source, EndpointSource::environment);
    EXPECT_EQ(env.port, 2375);

    for (const char* unset : {static_cast<const char*>(nullptr), ""}) {
        auto fallback = resolve_engine_endpoint(std::nullopt, unset);
        EXPECT_TRUE(fallback.is_default());
        EXPECT_EQ(fallback.url(), kDefaultDockerHost);
    }
    EXPECT_THROW(resolve_engine_endpoint(std::string(""), nullptr), Error);
    EXPECT_THROW(resolve_engine_endpoint(std::nullopt, "ssh://host"), Error);
}

// --- API versions ------------------------------------------------------------------------------

TEST(DockerApiVersion, ParsesOnlyMajorDotMinor) {
    EXPECT_EQ(ApiVersion::parse("1.41"), (ApiVersion{1, 41}));
    for (const char* bad : {"", "1", "1.", ".41", "1.x", "1.41.2", "v1.41", " 1.41"})
        EXPECT_FALSE(ApiVersion::parse(bad)) << bad;
    EXPECT_LT((ApiVersion{1, 9}), (ApiVersion{1, 41}));
}

TEST(DockerApiVersion, SpeaksTheOlderOfServerAndOursButNotBelowTheServersMinimum) {
    auto pick = [](const char* newest, const char* minimum) {
        return negotiate_api_version({"x", newest, minimum}, "unix:///x.sock").str();
    };
    EXPECT_EQ(pick("1.41", "1.12"), "1.41");  // 20.10
    EXPECT_EQ(pick("1.47", "1.24"), "1.47");  // 27
    EXPECT_EQ(pick("1.52", "1.44"), "1.47");  // 29
    EXPECT_EQ(pick("1.60", "1.50"), "1.50");  // a future server that no longer accepts ours
    EXPECT_EQ(pick("1.24", ""), "1.24");      // 1.12 did not report a minimum
}

TEST(DockerApiVersion, RefusesServersOlderThan124AndServersThatNameNoVersion) {
    std::string old = error_of([] { negotiate_api_version({"1.11.2", "1.23", ""}, "unix:///x"); });
    EXPECT_NE(old.find("speaks Engine API 1.23 (Docker 1.11.2), older than the 1.24"),
              std::string::npos)
        << old;
    std::string none = error_of([] { negotiate_api_version({"", "", ""}, "unix:///x"); });
    EXPECT_NE(none.find("names no API version"), std::string::npos) << none;
}

// --- Engine API JSON: Docker 20.10, recorded -----------------------------------------------------

TEST(DockerJson, Version2010) {
    auto version = parse_version_json(docker_fixture("20.10/version.json"));
    EXPECT_EQ(version.version, "20.10.24+dfsg1");
    EXPECT_EQ(version.api_version, "1.41");
    EXPECT_EQ(version.min_api_version, "1.12");
}

TEST(DockerJson, DetailedNetworkList2010HasEndpointsComposeLabelsAndBridgeNames) {
    auto networks = parse_network_list_json(docker_fixture("20.10/networks_v1.27.json"));
    ASSERT_EQ(networks.size(), 6u);

    const auto& shop = by_name(networks, "shop_default");
    EXPECT_EQ(shop.id, "feb72f7a3df9b541a9f4a00a8fbcdb66f18fd4900615b7609641a3a423fa84e6");
    EXPECT_EQ(shop.driver, "bridge");
    EXPECT_EQ(shop.scope, "local");
    EXPECT_EQ(shop.bridge_name(), "br-feb72f7a3df9");
    EXPECT_EQ(shop.compose_project(), "shop");
    EXPECT_EQ(shop.labels.at(kComposeNetworkLabel), "default");
    EXPECT_EQ(shop.created, "2026-11-22T17:36:28.344882628Z");
    EXPECT_EQ(shop.created_unix, 1795368988);
    ASSERT_EQ(shop.ipam.size(), 1u);
    EXPECT_EQ(shop.ipam[0].subnet->str(), "172.18.0.0/16");
    EXPECT_EQ(shop.ipam[0].gateway->str(), "172.18.0.1");
    EXPECT_FALSE(shop.ipam[0].ip_range);
    ASSERT_EQ(shop.endpoints.size(), 1u);
    EXPECT_EQ(shop.endpoints[0].container_name, "shop_web_1");
    EXPECT_EQ(shop.endpoints[0].ipv4->str(), "172.18.0.2/16");

    // Dual stack: the IPv6 IPAM entry is skipped; the bridge-name option wins over br-<id>.
    const auto& dual = by_name(networks, "dualstack");
    EXPECT_EQ(dual.bridge_name(), "pwbr0");
    ASSERT_EQ(dual.ipam.size(), 1u);
    EXPECT_EQ(dual.ipam[0].subnet->str(), "10.99.0.0/24");
    EXPECT_EQ(dual.ipam[0].ip_range->str(), "10.99.0.128/25");
    ASSERT_EQ(dual.endpoints.size(), 1u);
    EXPECT_EQ(dual.endpoints[0].ipv4->str(), "10.99.0.128/24");

    // 20.10's default bridge reports no gateway in IPAM.
    const auto& bridge = by_name(networks, "bridge");
    EXPECT_EQ(bridge.bridge_name(), "docker0");
    EXPECT_FALSE(bridge.ipam.at(0).gateway);
    EXPECT_TRUE(bridge.compose_project().empty());

    EXPECT_TRUE(by_name(networks, "internalnet").internal);
    EXPECT_EQ(by_name(networks, "host").driver, "host");
    EXPECT_TRUE(by_name(networks, "none").ipam.empty());
}

TEST(DockerJson, InspectEqualsDetailedListEntry2010) {
    auto listed = parse_network_list_json(docker_fixture("20.10/networks_v1.27.json"));
    for (const char* name : {"shop_default", "dualstack", "bridge"}) {
        auto inspected =
            parse_network_json(docker_fixture(std::string("20.10/network_") + name + ".json"));
        const auto& entry = by_name(listed, name);
        EXPECT_EQ(inspected.id, entry.id);
        EXPECT_EQ(inspected.ipam.size(), entry.ipam.size());
        EXPECT_EQ(inspected.endpoints.size(), entry.endpoints.size());
        EXPECT_EQ(inspected.options, entry.options);
    }
    // The list at API 1.41 has the same networks but no endpoints.
    auto plain = parse_network_list_json(docker_fixture("20.10/networks.json"));
    EXPECT_EQ(plain.size(), 6u);
    EXPECT_TRUE(by_name(plain, "shop_default").endpoints.empty());
}

TEST(DockerJson, Containers2010IncludingOneNeverStarted) {
    auto containers = parse_container_list_json(docker_fixture("20.10/containers.json"));
    ASSERT_EQ(containers.size(), 3u);
    const auto& web = by_name(containers, "shop_web_1");
    EXPECT_EQ(web.state, "running");
    EXPECT_EQ(web.compose_project(), "shop");
    EXPECT_EQ(web.labels.at(kComposeServiceLabel), "web");
    ASSERT_EQ(web.networks.size(), 1u);
    EXPECT_EQ(web.networks[0].network_name, "shop_default");
    EXPECT_EQ(web.networks[0].network_id.substr(0, 12), "feb72f7a3df9");
    EXPECT_EQ(web.networks[0].ipv4->str(), "172.18.0.2");
    EXPECT_EQ(web.networks[0].ipv4_prefix_length, 16);

    const auto& created = by_name(containers, "stopped1");
    EXPECT_EQ(created.state, "created");
    ASSERT_EQ(created.networks.size(), 1u);
    EXPECT_EQ(created.networks[0].network_name, "dualstack");
    EXPECT_TRUE(created.networks[0].network_id.empty());
    EXPECT_FALSE(created.networks[0].ipv4);
    EXPECT_EQ(created.networks[0].ipv4_prefix_length, 0);
}

// --- Engine API JSON: Docker 27 shapes -----------------------------------------------------------

TEST(DockerJson, Networks27WithALeakedEndpointAndAnIpv6Ula) {
    auto networks = parse_network_list_json(docker_fixture("27/networks_v1.27.json"));
    ASSERT_EQ(networks.size(), 6u);

    const auto& leaked = by_name(networks, "ci-job-4812_default");
    EXPECT_EQ(leaked.compose_project(), "ci-job-4812");
    EXPECT_EQ(leaked.ipam.at(0).subnet->str(), "172.31.0.0/16");
    // 08:54:20 at +11:00 is 21:54:20 UTC the day before.
    EXPECT_EQ(leaked.created_unix, 1667339660);
    ASSERT_EQ(leaked.endpoints.size(), 1u);
    EXPECT_TRUE(leaked.endpoints[0].container_id.starts_with("ep-"));  // its container is gone
    EXPECT_EQ(leaked.endpoints[0].container_name, "ci-job-4812-build-1");

    const auto& v6 = by_name(networks, "v6lab");
    EXPECT_EQ(v6.bridge_name(), "br-v6lab");
    ASSERT_EQ(v6.ipam.size(), 1u);
    EXPECT_EQ(v6.ipam[0].subnet->str(), "192.168.0.0/20");
    EXPECT_EQ(v6.ipam[0].ip_range->str(), "192.168.8.0/21");

    EXPECT_EQ(by_name(networks, "bridge").ipam.at(0).gateway->str(), "172.17.0.1");
    EXPECT_EQ(by_name(networks, "host").created_unix, 1714606211);  // +10:00
    EXPECT_EQ(by_name(networks, "shop_default").endpoints.size(), 2u);
}

TEST(DockerJson, Containers27WithLegacyLinkNamesAndAnExitedOne) {
    auto containers = parse_container_list_json(docker_fixture("27/containers.json"));
    ASSERT_EQ(containers.size(), 3u);
    // Names is ["/shop-db-1", "/shop-web-1/db"]: the second is a link alias.
    const auto& db = by_name(containers, "shop-db-1");
    EXPECT_EQ(db.compose_project(), "shop");
    EXPECT_EQ(db.networks.at(0).ipv4->str(), "172.18.0.3");

    const auto& job = by_name(containers, "ci-job-4812-build-1");
    EXPECT_EQ(job.state, "exited");
    EXPECT_FALSE(job.networks.at(0).ipv4);
}

// --- Engine API JSON: odd answers ----------------------------------------------------------------

TEST(DockerJson, WrongTypesAndMissingFieldsAreLeftEmpty) {
    auto networks = parse_network_list_json(docker_fixture("odd/networks.json"));
    ASSERT_EQ(networks.size(), 2u);  // a string and an entry without Id are skipped

    const auto& wrong = by_name(networks, "wrongtypes");
    EXPECT_FALSE(wrong.created_unix);
    EXPECT_EQ(wrong.created, "yesterday");
    EXPECT_TRUE(wrong.scope.empty());
    EXPECT_FALSE(wrong.internal);
    EXPECT_TRUE(wrong.ipam.empty());
    EXPECT_TRUE(wrong.endpoints.empty());
    EXPECT_TRUE(wrong.options.empty());
    EXPECT_EQ(wrong.labels.size(), 1u);  // the numeric compose label is dropped
    EXPECT_TRUE(wrong.compose_project().empty());
    EXPECT_EQ(wrong.bridge_name(), "br-111111111111");

    const auto& half = by_name(networks, "halfbroken");
    EXPECT_FALSE(half.created_unix);  // Go's zero time means "unknown"
    EXPECT_TRUE(half.internal);
    ASSERT_EQ(half.ipam.size(), 1u);
    EXPECT_EQ(half.ipam[0].subnet->str(), "10.20.0.0/24");
    EXPECT_EQ(half.ipam[0].gateway->str(), "10.20.0.1");  // written with a prefix
    EXPECT_FALSE(half.ipam[0].ip_range);
    ASSERT_EQ(half.endpoints.size(), 3u);  // c3 is not an object
    EXPECT_EQ(half.endpoints[0].ipv4->str(), "10.20.0.5/24");
    EXPECT_FALSE(half.endpoints[1].ipv4);
    EXPECT_TRUE(half.endpoints[2].container_name.empty());

    auto containers = parse_container_list_json(docker_fixture("odd/containers.json"));
    ASSERT_EQ(containers.size(), 2u);
    const auto& linked = containers[0];
    EXPECT_EQ(linked.name, "real-name");
    ASSERT_EQ(linked.networks.size(), 2u);  // net-b is not an object
    EXPECT_EQ(linked.networks[0].ipv4->str(), "10.1.2.3");
    EXPECT_EQ(linked.networks[0].ipv4_prefix_length, 0);  // "16" is a string
    EXPECT_TRUE(linked.networks[1].network_id.empty());
    EXPECT_FALSE(linked.networks[1].ipv4);  // IPv6 only
    EXPECT_TRUE(containers[1].name.empty());
    EXPECT_TRUE(containers[1].networks.empty());
}

TEST(DockerJson, TopLevelShapeErrorsSayWhatCameBack) {
    auto message = [](const std::function<void()>& fn) {
        try {
            fn();
        } catch (const EngineJsonError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(message([] { parse_network_list_json("{}"); }),
              "unexpected JSON: expected an array, got an object");
    EXPECT_EQ(message([] { parse_version_json("[]"); }),
              "unexpected JSON: expected an object, got an array");
    EXPECT_EQ(message([] { parse_container_list_json("null"); }),
              "unexpected JSON: expected an array, got a null");
    EXPECT_EQ(message([] { parse_network_json("<html>502 Bad Gateway</html>"); }), "invalid JSON");
    EXPECT_EQ(message([] { parse_network_list_json(""); }), "invalid JSON");
    EXPECT_EQ(message([] { parse_network_json(R"({"Name":"x"})"); }),
              "unexpected JSON: the network has no Id");
}

// --- RFC 3339 ------------------------------------------------------------------------------------

TEST(DockerRfc3339, ReadsWhatDockerWrites) {
    EXPECT_EQ(parse_rfc3339("2022-11-02T08:54:20Z"), 1667379260);
    EXPECT_EQ(parse_rfc3339("2022-11-02T08:54:20.123456789Z"), 1667379260);
    EXPECT_EQ(parse_rfc3339("2022-11-02T08:54:20.123456789+11:00"), 1667339660);
    EXPECT_EQ(parse_rfc3339("2022-11-02T03:24:20-05:30"), 1667379260);
    EXPECT_EQ(parse_rfc3339("2022-11-02t08:54:20z"), 1667379260);
    EXPECT_EQ(parse_rfc3339("2022-11-02 08:54:20Z"), 1667379260);
    EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(parse_rfc3339("1969-12-31T23:59:59Z"), -1);
    EXPECT_EQ(parse_rfc3339("2024-02-29T00:00:00Z"), 1709164800);
    EXPECT_EQ(parse_rfc3339("2016-12-31T23:59:60Z"), 1483228800);  // leap second
}

TEST(DockerRfc3339, RejectsMalformedAndImpossibleTimesAndGoZeroTime) {
    for (const char* bad :
         {"", "2022-11-02", "2022-11-02T08:54:20", "2022-11-02T08:54Z", "2022-11-02T24:00:00Z",
          "2022-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2022-11-31T00:00:00Z",
          "2022-11-02T08:54:61Z", "2022-11-02T08:54:20.Z", "2022-11-02T08:54:20+1100",
          "2022-11-02T08:54:20+24:00", "2022-11-02T08:54:20Z ", "22-11-02T08:54:20Z",
          "2022-11-02T08:54:2OZ", "0001-01-01T00:00:00Z"})
        EXPECT_FALSE(parse_rfc3339(bad)) << bad;
}

// --- daemon.json ---------------------------------------------------------------------------------

TEST(DockerDaemonConfig, AbsentFileMeansBuiltInPools) {
    auto config = read_daemon_config("/nonexistent-pathwhy-dir/daemon.json");
    EXPECT_FALSE(config.present);
    EXPECT_TRUE(config.error.empty());
    EXPECT_EQ(config.path, "/nonexistent-pathwhy-dir/daemon.json");
}

TEST(DockerDaemonConfig, ReadsBipAndIpv4PoolsFromAFile) {
    auto path = std::filesystem::temp_directory_path() /
                ("pathwhy-daemon-" + std::to_string(getpid()) + ".json");
    std::ofstream(path) << R"({
      "log-driver": "journald",
      "bip": "192.168.200.1/24",
      "default-address-pools": [
        {"base": "10.201.0.0/16", "size": 24},
        {"base": "fd00:1::/48", "size": 64}
      ]
    })";
    auto config = read_daemon_config(path);
    std::filesystem::remove(path);
    EXPECT_TRUE(config.present);
    EXPECT_TRUE(config.error.empty()) << config.error;
    EXPECT_EQ(config.bip->str(), "192.168.200.1/24");  // docker0's own address, host bits kept
    ASSERT_EQ(config.default_address_pools.size(), 1u);
    EXPECT_EQ(config.default_address_pools[0].base.str(), "10.201.0.0/16");
    EXPECT_EQ(config.default_address_pools[0].size, 24);
}

TEST(DockerDaemonConfig, EmptyFileHasNoSettings) {
    auto config = parse_daemon_config(" \n", "/etc/docker/daemon.json");
    EXPECT_TRUE(config.present);
    EXPECT_TRUE(config.error.empty());
    EXPECT_FALSE(config.bip);
}

TEST(DockerDaemonConfig, ProblemsAreReportedNotThrown) {
    auto invalid = parse_daemon_config("{\"bip\": ", "/etc/docker/daemon.json");
    EXPECT_TRUE(invalid.present);
    EXPECT_EQ(invalid.error, "/etc/docker/daemon.json is not a JSON object");

    auto bare_bip = parse_daemon_config(R"({"bip": "192.168.200.1"})", "d.json");
    EXPECT_FALSE(bare_bip.bip);
    EXPECT_NE(bare_bip.error.find("\"bip\" in d.json"), std::string::npos) << bare_bip.error;

    auto pools = parse_daemon_config(R"({"default-address-pools": [
        {"base": "10.0.0.0/16", "size": 8}, {"base": "10.1.0.0/16"}, "junk",
        {"base": "10.2.0.0/16", "size": 24}]})",
                                     "d.json");
    EXPECT_EQ(pools.default_address_pools.size(), 1u);  // the good one is kept
    EXPECT_NE(pools.error.find("\"size\":8"), std::string::npos) << pools.error;

    auto not_list = parse_daemon_config(R"({"default-address-pools": {}})", "d.json");
    EXPECT_NE(not_list.error.find("is not a list"), std::string::npos) << not_list.error;
}

TEST(DockerDaemonConfig, UnreadablePathIsAnErrorString) {
    auto config = read_daemon_config(std::filesystem::temp_directory_path());  // a directory
    EXPECT_TRUE(config.present);
    EXPECT_NE(config.error.find("cannot read"), std::string::npos) << config.error;
}

}  // namespace
}  // namespace pathwhy
