// `pathwhy scan`'s reasoning on snapshots: seed 000's runner with its VPC peer range named,
// Docker subnets that overlap a gateway route or a policy-routed table, the seed 003 capture
// with and without its stale entry, and a clean host.
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <algorithm>
#include <set>

#include "explain/scan.h"
#include "report/scan_report.h"
#include "support/conntrack_fixture.h"
#include "support/seed_fixture.h"

namespace pathwhy {
namespace {

Ipv4Cidr cidr(const char* text) { return *Ipv4Cidr::parse(text); }

std::multiset<std::string> kinds(const ScanResult& result) {
    std::multiset<std::string> out;
    for (const auto& finding : result.findings) out.insert(finding.kind);
    return out;
}

const Finding* first_of(const ScanResult& result, const std::string& kind) {
    for (const auto& finding : result.findings)
        if (finding.kind == kind) return &finding;
    return nullptr;
}

// A host whose Docker network sits inside a range reached another way.
Snapshot host_with(const std::string& extra_routes, const char* docker_subnet) {
    Snapshot snapshot;
    snapshot.kernel = test::kernel_state_from_ip_route(
        "default via 10.0.0.1 dev eth0\n"
        "10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.5\n" +
        std::string(docker_subnet) + " dev br-0123456789ab proto kernel scope link src " +
        Ipv4Address{cidr(docker_subnet).first().value + 1}.str() + "\n" + extra_routes);
    snapshot.docker.status = DockerStatus::ok;
    DockerNetwork network;
    network.id = "0123456789ab" + std::string(52, '0');
    network.name = "shop_default";
    network.driver = "bridge";
    network.labels[kComposeProjectLabel] = "shop";
    network.ipam.push_back({cidr(docker_subnet), std::nullopt, std::nullopt});
    snapshot.docker.networks.push_back(network);
    DockerContainer web;
    web.id = std::string(64, 'a');
    web.name = "shop-web-1";
    web.state = "running";
    web.networks.push_back(
        {"shop_default", network.id, Ipv4Address{cidr(docker_subnet).first().value + 2}, 24});
    snapshot.docker.containers.push_back(web);
    snapshot.conntrack = ConntrackTable{};
    return snapshot;
}

TEST(Scan, Seed000WithItsVpcNamedFindsTheOverlapAndTheLeaks) {
    const Snapshot snapshot = test::seed000_snapshot();
    const ScanResult result = scan_snapshot(snapshot, {cidr("172.31.0.0/16")});
    EXPECT_FALSE(result.clean());
    const Finding* overlap = first_of(result, "docker-subnet-overlaps-peer");
    ASSERT_NE(overlap, nullptr);
    EXPECT_EQ(overlap->severity, Severity::critical);
    EXPECT_EQ(result.findings.front().kind, "docker-subnet-overlaps-peer") << "critical first";
    EXPECT_NE(overlap->summary.find("overlaps peer range 172.31.0.0/16"), std::string::npos)
        << overlap->summary;
    EXPECT_NE(overlap->summary.find("into bridge br-e8395baf4d8b"), std::string::npos);
    ASSERT_TRUE(overlap->docker_network);
    EXPECT_EQ(overlap->docker_network->subnet, "172.31.0.0/16");
    EXPECT_TRUE(std::any_of(
        overlap->prevent.begin(), overlap->prevent.end(),
        [](const std::string& l) { return l.find("default-address-pools") != std::string::npos; }));
    EXPECT_GE(kinds(result).count("leaked-docker-network"), 10u);
    EXPECT_EQ(kinds(result).count("docker-subnet-overlaps-route"), 0u)
        << "the peer is reached through the default route only";
    EXPECT_EQ(result.checked.peers.size(), 1u);
    EXPECT_EQ(result.headline.rfind("found ", 0), 0u) << result.headline;

    // Without --peer the VPC is invisible; the leaks are still there.
    const ScanResult unnamed = scan_snapshot(snapshot, {});
    EXPECT_EQ(kinds(unnamed).count("docker-subnet-overlaps-peer"), 0u);
    EXPECT_GE(kinds(unnamed).count("leaked-docker-network"), 10u);
}

TEST(Scan, ADockerSubnetInsideAVpnGatewayRouteSwallowsPartOfIt) {
    const ScanResult result =
        scan_snapshot(host_with("10.8.0.0/16 via 10.0.0.9 dev eth0\n", "10.8.1.0/24"), {});
    ASSERT_EQ(result.findings.size(), 1u);
    const Finding& f = result.findings[0];
    EXPECT_EQ(f.kind, "docker-subnet-overlaps-route");
    EXPECT_EQ(f.severity, Severity::critical);
    EXPECT_NE(f.summary.find("traffic for 10.8.1.0/24 goes into bridge br-0123456789ab"),
              std::string::npos)
        << f.summary;
    EXPECT_TRUE(std::any_of(f.evidence.begin(), f.evidence.end(), [](const std::string& l) {
        return l.find("via a gateway") != std::string::npos;
    }));
}

TEST(Scan, AMoreSpecificRouteCutsContainersOff) {
    const ScanResult result =
        scan_snapshot(host_with("172.31.151.0/24 via 10.0.0.9 dev eth0\n", "172.31.0.0/16"), {});
    ASSERT_EQ(result.findings.size(), 1u);
    EXPECT_EQ(result.findings[0].severity, Severity::warning);
    EXPECT_NE(result.findings[0].summary.find("containers with addresses in 172.31.151.0/24"),
              std::string::npos)
        << result.findings[0].summary;
}

TEST(Scan, ARouteInAPolicyRoutedTableCounts) {
    Snapshot snapshot = host_with("", "172.31.0.0/16");
    Route vpn;
    vpn.table = 100;
    vpn.destination = cidr("172.16.0.0/12");
    vpn.gateway = *Ipv4Address::parse("10.0.0.9");
    vpn.oif = snapshot.kernel.link_by_name("eth0")->ifindex;
    snapshot.kernel.routes.push_back(vpn);
    auto rule = [](std::uint32_t priority, std::uint32_t table) {
        Rule rule;
        rule.priority = priority;
        rule.table = table;
        return rule;
    };
    snapshot.kernel.rules = {rule(0, kTableLocal), rule(100, 100), rule(32766, kTableMain)};
    const ScanResult result = scan_snapshot(snapshot, {});
    ASSERT_EQ(result.findings.size(), 1u);
    const Finding& f = result.findings[0];
    EXPECT_EQ(f.kind, "docker-subnet-overlaps-route");
    EXPECT_EQ(f.severity, Severity::warning) << "rule 100 sends the overlap to the VPN first";
    EXPECT_TRUE(std::any_of(f.evidence.begin(), f.evidence.end(), [](const std::string& l) {
        return l.find("table 100 (policy routing)") != std::string::npos;
    }));
}

TEST(Scan, Seed003FindsTheStaleEntryAndNothingOnceFixed) {
    const ScanResult broken = scan_snapshot(test::seed003_snapshot("seed003_held_nat"), {});
    ASSERT_FALSE(broken.findings.empty());
    EXPECT_EQ(broken.findings[0].kind, "stale-conntrack");
    EXPECT_EQ(broken.checked.ports, (std::vector<HostPort>{{8888, IPPROTO_UDP}}));

    const ScanResult fixed =
        scan_snapshot(test::seed003_snapshot("seed003_held_nat", "conntrack_L_fixed.txt"), {});
    EXPECT_TRUE(fixed.clean()) << (fixed.findings.empty() ? "" : fixed.findings[0].summary);
    EXPECT_EQ(fixed.headline, "no problems found");
    EXPECT_EQ(fixed.checked.conntrack_entries, 3u);
}

TEST(Scan, AStaleEntryOfAPortNobodyPublishesAnyMoreIsFound) {
    Snapshot snapshot = test::seed003_snapshot("seed003_held_nat");
    snapshot.docker.containers.clear();
    const ScanResult result = scan_snapshot(snapshot, {});
    ASSERT_FALSE(result.findings.empty());
    EXPECT_EQ(result.findings[0].kind, "stale-conntrack");
    EXPECT_NE(result.findings[0].summary.find("nothing publishes it now"), std::string::npos);
}

TEST(ScanReport, TextAndJson) {
    const ScanResult result = scan_snapshot(test::seed003_snapshot("seed003_held_nat"), {});
    const std::string text = render_scan_text(result, TextStyle{});
    EXPECT_EQ(text.rfind("PROBLEMS  found 1 problem: 1 stale-conntrack", 0), 0u) << text;
    EXPECT_NE(text.find("checked  4 Docker networks"), std::string::npos) << text;
    EXPECT_NE(text.find("ports 8888/udp"), std::string::npos) << text;

    auto j = nlohmann::json::parse(
        scan_to_json(result, {"pw-lab", DockerStatus::ok, "unix:///x", "20.10.24", ""}).dump());
    EXPECT_EQ(j["verdict"], "problems");
    EXPECT_EQ(j["checked"]["published_ports"], nlohmann::json::array({"8888/udp"}));
    EXPECT_EQ(j["checked"]["conntrack_entries"], 3);
    EXPECT_EQ(j["findings"][0]["kind"], "stale-conntrack");
    EXPECT_EQ(j["findings"][0]["conntrack"]["nat"], "gone-address");
    EXPECT_EQ(j["netns"], "pw-lab");
    EXPECT_EQ(j["docker"]["version"], "20.10.24");

    const ScanResult clean =
        scan_snapshot(test::seed003_snapshot("seed003_held_nat", "conntrack_L_fixed.txt"), {});
    EXPECT_EQ(render_scan_text(clean, TextStyle{}).rfind("OK  no problems found", 0), 0u);
}

}  // namespace
}  // namespace pathwhy
