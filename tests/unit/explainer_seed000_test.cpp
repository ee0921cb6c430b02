// The explainer on seed 000 as the runner printed it: `ip route` and `docker network ls`.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "explain/explainer.h"
#include "support/seed_fixture.h"

namespace pathwhy {
namespace {

const Ipv4Address kPeer = *Ipv4Address::parse("172.31.151.55");
const std::string kOwner = "brisbane-office-industry-data-management-system-back-end-47_default";

std::vector<const Finding*> of_kind(const Diagnosis& d, const std::string& kind) {
    std::vector<const Finding*> out;
    for (const auto& f : d.findings)
        if (f.kind == kind) out.push_back(&f);
    return out;
}

bool any_line_contains(const std::vector<std::string>& lines, const std::string& needle) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& l) { return l.find(needle) != std::string::npos; });
}

TEST(ExplainerSeed000, PeerIsRoutedIntoTheLeakedComposeBridge) {
    Diagnosis d = explain_destination(test::seed000_snapshot(), kPeer);
    EXPECT_EQ(d.verdict, Verdict::misrouted);
    ASSERT_TRUE(d.route);
    EXPECT_EQ(d.route->prefix.str(), "172.31.0.0/16");
    EXPECT_EQ(d.route->dev, "br-e8395baf4d8b");
    EXPECT_EQ(d.route->table, "main");
    EXPECT_NE(d.headline.find("br-e8395baf4d8b"), std::string::npos) << d.headline;

    ASSERT_FALSE(d.findings.empty());
    const Finding& f = d.findings.front();
    EXPECT_EQ(f.kind, "route-into-docker-bridge");
    EXPECT_EQ(f.severity, Severity::critical);
    ASSERT_TRUE(f.docker_network);
    EXPECT_EQ(f.docker_network->name, kOwner);
    EXPECT_EQ(f.docker_network->bridge, "br-e8395baf4d8b");
    EXPECT_EQ(f.docker_network->subnet, "172.31.0.0/16");
    EXPECT_EQ(f.docker_network->compose_project,
              "brisbane-office-industry-data-management-system-back-end-47");
    EXPECT_TRUE(any_line_contains(f.evidence, "it beats: default via 172.18.2.129 dev eth0"));
    EXPECT_TRUE(any_line_contains(f.evidence, "default route"));  // why Docker did not see it
    EXPECT_TRUE(any_line_contains(f.fix, "docker network rm e8395baf4d8b"));
    EXPECT_TRUE(any_line_contains(f.fix, "docker compose -p "
                                         "brisbane-office-industry-data-management-system-back-end-47 down"));
    EXPECT_TRUE(any_line_contains(f.fix, "ip route add 172.31.151.55/32 via 172.18.2.129 dev eth0"));
}

TEST(ExplainerSeed000, PreventionPoolAvoidsThePeerAndEveryRoute) {
    Snapshot snapshot = test::seed000_snapshot();
    Diagnosis d = explain_destination(snapshot, kPeer);
    const auto& prevent = d.findings.front().prevent;
    auto json_line = std::find_if(prevent.begin(), prevent.end(), [](const std::string& l) {
        return l.find("default-address-pools") != std::string::npos && l.front() == '{';
    });
    ASSERT_NE(json_line, prevent.end());
    auto config = nlohmann::json::parse(*json_line);
    auto base = Ipv4Cidr::parse(config["default-address-pools"][0]["base"].get<std::string>());
    ASSERT_TRUE(base);
    EXPECT_EQ(config["default-address-pools"][0]["size"], 24);
    EXPECT_FALSE(base->contains(kPeer));
    for (const auto& route : snapshot.kernel.routes) {
        if (route.destination.length > 0) {
            EXPECT_FALSE(base->overlaps(route.destination)) << route.destination.str();
        }
    }
    EXPECT_TRUE(any_line_contains(prevent, "ipam"));
}

TEST(ExplainerSeed000, ListsEveryComposeNetworkWithoutContainersAsLeaked) {
    Diagnosis d = explain_destination(test::seed000_snapshot(), kPeer);
    auto leaked = of_kind(d, "leaked-docker-network");
    // The listing shows 11 compose networks and no containers; bridge/host/none are Docker's own.
    ASSERT_EQ(leaked.size(), 11u);
    for (const Finding* f : leaked) {
        ASSERT_TRUE(f->docker_network);
        EXPECT_FALSE(f->docker_network->compose_project.empty());
        EXPECT_TRUE(any_line_contains(f->fix, "docker network rm " + f->docker_network->id));
    }
}

TEST(ExplainerSeed000, AfterRemovingTheNetworkThePeerLeavesViaTheUplink) {
    Snapshot snapshot = test::seed000_snapshot();
    auto& routes = snapshot.kernel.routes;
    routes.erase(std::remove_if(routes.begin(), routes.end(),
                                [](const Route& r) { return r.destination.str() == "172.31.0.0/16"; }),
                 routes.end());
    auto& networks = snapshot.docker.networks;
    networks.erase(std::remove_if(networks.begin(), networks.end(),
                                  [](const DockerNetwork& n) { return n.name == kOwner; }),
                   networks.end());
    Diagnosis d = explain_destination(snapshot, kPeer);
    EXPECT_EQ(d.verdict, Verdict::ok);
    ASSERT_TRUE(d.route);
    EXPECT_EQ(d.route->prefix.length, 0);
    EXPECT_EQ(d.route->dev, "eth0");
    ASSERT_TRUE(d.route->gateway);
    EXPECT_EQ(d.route->gateway->str(), "172.18.2.129");
    EXPECT_TRUE(of_kind(d, "route-into-docker-bridge").empty());
    EXPECT_EQ(of_kind(d, "leaked-docker-network").size(), 10u);
}

TEST(ExplainerSeed000, WithoutDockerTheBridgeIsRecognisedByItsName) {
    Snapshot snapshot = test::seed000_snapshot();
    snapshot.docker = DockerState{};
    snapshot.docker.status = DockerStatus::absent;
    snapshot.docker.endpoint = "unix:///var/run/docker.sock";
    Diagnosis d = explain_destination(snapshot, kPeer);
    EXPECT_EQ(d.verdict, Verdict::misrouted);
    ASSERT_FALSE(d.findings.empty());
    EXPECT_EQ(d.findings.front().kind, "route-into-docker-bridge");
    EXPECT_FALSE(d.findings.front().docker_network);
    EXPECT_TRUE(any_line_contains(d.notes, "no daemon at unix:///var/run/docker.sock"));
    EXPECT_TRUE(any_line_contains(d.findings.front().fix, "e8395baf4d8b"));
}

TEST(ExplainerSeed000, AContainerOnTheBridgeIsNotMisrouted) {
    Snapshot snapshot = test::seed000_snapshot();
    for (auto& network : snapshot.docker.networks)
        if (network.name == kOwner)
            network.endpoints.push_back({"c0ffee", "back-end-47-app-1", Ipv4Cidr::parse("172.31.0.2/16")});
    Diagnosis d = explain_destination(snapshot, *Ipv4Address::parse("172.31.0.2"));
    EXPECT_EQ(d.verdict, Verdict::ok);
    EXPECT_NE(d.headline.find("as it should be"), std::string::npos) << d.headline;
    // ...and the peer is still misrouted, now with the container named as what removal disrupts.
    Diagnosis peer = explain_destination(snapshot, kPeer);
    EXPECT_EQ(peer.verdict, Verdict::misrouted);
    EXPECT_TRUE(any_line_contains(peer.findings.front().fix,
                                  "docker network disconnect --force e8395baf4d8b back-end-47-app-1"));
    EXPECT_EQ(of_kind(peer, "leaked-docker-network").size(), 10u);
}

TEST(ExplainerSeed000, TheKernelsAnswerWinsWhenItDiffers) {
    Snapshot snapshot = test::seed000_snapshot();
    KernelRouteAnswer answer;
    answer.table = kTableMain;
    answer.matched_prefix = Ipv4Cidr::parse("0.0.0.0/0");
    answer.gateway = Ipv4Address::parse("172.18.2.129");
    answer.oif = snapshot.kernel.link_by_name("eth0")->ifindex;
    snapshot.kernel_answers[kPeer] = answer;
    Diagnosis d = explain_destination(snapshot, kPeer);
    EXPECT_EQ(d.verdict, Verdict::ok);
    ASSERT_TRUE(d.kernel_route);  // our own reading, shown beside the kernel's
    EXPECT_EQ(d.kernel_route->prefix.str(), "172.31.0.0/16");
    EXPECT_TRUE(any_line_contains(d.notes, "differs from the kernel"));
}

}  // namespace
}  // namespace pathwhy
