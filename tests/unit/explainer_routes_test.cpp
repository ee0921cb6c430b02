// The explainer on small hand-written routing tables: no route, unreachable and blackhole
// routes, and a destination that is fine.
#include <gtest/gtest.h>

#include "explain/explainer.h"
#include "support/seed_fixture.h"

namespace pathwhy {
namespace {

Diagnosis explain(const std::string& ip_route, const std::string& destination) {
    Snapshot snapshot;
    snapshot.kernel = test::kernel_state_from_ip_route(ip_route);
    snapshot.docker.status = DockerStatus::ok;
    return explain_destination(snapshot, *Ipv4Address::parse(destination));
}

TEST(ExplainerRoutes, NoDefaultRouteMeansNoRoute) {
    Diagnosis d = explain("10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.5\n", "172.31.151.55");
    EXPECT_EQ(d.verdict, Verdict::unreachable);
    ASSERT_EQ(d.findings.size(), 1u);
    EXPECT_EQ(d.findings[0].kind, "no-route");
    EXPECT_NE(d.findings[0].summary.find("no route to 172.31.151.55"), std::string::npos);
    EXPECT_FALSE(d.findings[0].evidence.empty());  // the rules and tables consulted
}

TEST(ExplainerRoutes, UnreachableRouteIsNamed) {
    Diagnosis d = explain("default via 10.0.0.1 dev eth0\nunreachable 172.31.0.0/16\n", "172.31.151.55");
    EXPECT_EQ(d.verdict, Verdict::unreachable);
    ASSERT_FALSE(d.findings.empty());
    EXPECT_EQ(d.findings[0].kind, "no-route");
    EXPECT_NE(d.findings[0].summary.find("unreachable route"), std::string::npos) << d.findings[0].summary;
    EXPECT_EQ(d.findings[0].fix.back(), "ip route del unreachable 172.31.0.0/16 table main");
}

TEST(ExplainerRoutes, BlackholeRouteDropsSilently) {
    Diagnosis d = explain("default via 10.0.0.1 dev eth0\nblackhole 172.31.151.0/24\n", "172.31.151.55");
    EXPECT_EQ(d.verdict, Verdict::dropped);
    EXPECT_NE(d.findings[0].summary.find("discarded silently"), std::string::npos);
}

TEST(ExplainerRoutes, HealthyDestinationTakesTheDefaultRoute) {
    Diagnosis d = explain("default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.5\n",
                          "172.31.151.55");
    EXPECT_EQ(d.verdict, Verdict::ok);
    EXPECT_TRUE(d.findings.empty());
    EXPECT_NE(d.headline.find("via 10.0.0.1 dev eth0"), std::string::npos) << d.headline;
}

TEST(ExplainerRoutes, AMoreSpecificNonDockerRouteBeatsTheBridge) {
    Diagnosis d = explain("default via 10.0.0.1 dev eth0\n"
                          "172.31.0.0/16 dev br-e8395baf4d8b proto kernel scope link src 172.31.0.1\n"
                          "172.31.151.0/24 via 10.0.0.9 dev eth0\n",
                          "172.31.151.55");
    EXPECT_EQ(d.verdict, Verdict::ok);
    EXPECT_EQ(d.route->prefix.str(), "172.31.151.0/24");
}

}  // namespace
}  // namespace pathwhy
