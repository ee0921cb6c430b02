// What each Docker version does, as explanations quote it: allocation order and conntrack flush
// by version, and the leaked-network finding's sentence on 20.10, 26.1 and 27+.
#include "explain/docker_engine_facts.h"

#include <gtest/gtest.h>
#include <netinet/in.h>

#include <set>

#include "explain/leaked_networks.h"
#include "explain/route_into_bridge.h"
#include "explain/stale_conntrack.h"
#include "support/conntrack_fixture.h"
#include "support/docker_engines.h"
#include "support/seed_fixture.h"

namespace pathwhy {
namespace {

TEST(DockerEngineFacts, AllocationOrderByVersion) {
    EXPECT_EQ(docker_subnet_order("20.10.24+dfsg1"), SubnetOrder::rotating_cursor);
    EXPECT_EQ(docker_subnet_order("26.1.5+dfsg1"), SubnetOrder::rotating_cursor);
    EXPECT_EQ(docker_subnet_order("27.0.1"), SubnetOrder::lowest_free);
    EXPECT_EQ(docker_subnet_order(""), SubnetOrder::unknown);
    EXPECT_EQ(docker_subnet_order("podman"), SubnetOrder::unknown);
}

TEST(DockerEngineFacts, UdpFlushByHostPortByVersion) {
    EXPECT_EQ(docker_flushes_udp_host_port("20.10.24+dfsg1", 8888, 8888), false);
    EXPECT_EQ(docker_flushes_udp_host_port("22.06.0", 8888, 8888), false);
    EXPECT_EQ(docker_flushes_udp_host_port("23.0.0", 8888, 8888), true);
    EXPECT_EQ(docker_flushes_udp_host_port("26.1.5+dfsg1", 8888, 9999), true);
    EXPECT_EQ(docker_flushes_udp_host_port("29.5.0", 8888, 8888), true);
    EXPECT_EQ(docker_flushes_udp_host_port("29.5.0", 8888, 9999), false) << "moby#53384";
    EXPECT_EQ(docker_flushes_udp_host_port("", 8888, 8888), std::nullopt);
}

TEST(DockerEngineFacts, WhichRoutesDockerAvoidsByVersion) {
    EXPECT_EQ(docker_avoids_only_link_routes("20.10.14"), false);
    EXPECT_EQ(docker_avoids_only_link_routes("20.10.24+dfsg1"), true);
    EXPECT_EQ(docker_avoids_only_link_routes("26.1.5+dfsg1"), true);
    EXPECT_EQ(docker_avoids_only_link_routes(""), std::nullopt);

    // Seed 001's VPN route: 192.168.0.0/16 via a gateway, which 20.10.15+ does not avoid.
    Snapshot snapshot;
    Route vpn;
    vpn.destination = *Ipv4Cidr::parse("192.168.0.0/16");
    vpn.gateway = Ipv4Address::parse("10.8.0.1");
    snapshot.docker.server_version = "26.1.5+dfsg1";
    EXPECT_NE(why_docker_did_not_see_it(snapshot, &vpn).find("not gateway routes"),
              std::string::npos);
    snapshot.docker.server_version = "20.10.5";
    const std::string old = why_docker_did_not_see_it(snapshot, &vpn);
    EXPECT_EQ(old.find("not gateway routes"), std::string::npos) << old;
    EXPECT_NE(old.find("set explicitly"), std::string::npos) << old;
}

std::string held_subnet_evidence(const std::string& server_version) {
    Snapshot snapshot = test::seed000_snapshot();
    snapshot.docker.server_version = server_version;
    const auto findings = leaked_network_findings(snapshot);
    EXPECT_FALSE(findings.empty());
    return findings.empty() ? "" : findings.front().evidence.back();
}

TEST(DockerEngineFacts, ALeakedNetworkIsExplainedInTheEnginesOwnAllocationOrder) {
    for (const char* rotating : {"20.10.24+dfsg1", "26.1.5+dfsg1"}) {
        const std::string line = held_subnet_evidence(rotating);
        EXPECT_NE(line.find(std::string("Docker ") + rotating + " allocates the next network"),
                  std::string::npos)
            << line;
    }
    const std::string lowest = held_subnet_evidence("27.3.1");
    EXPECT_NE(lowest.find("Docker 27.3.1 gives each new network the lowest free subnet"),
              std::string::npos)
        << lowest;
    EXPECT_EQ(lowest.find("next network"), std::string::npos) << lowest;
    const std::string unknown = held_subnet_evidence("");
    EXPECT_NE(unknown.find("up to 26.x"), std::string::npos) << unknown;
    EXPECT_NE(unknown.find("27.0 and later"), std::string::npos) << unknown;
}

// The privileged tests scan 26.1's outputs for facts_of_docker_before_23(): each fragment must
// be one the explainer really prints about 20.10, or the scan could never fail.
TEST(DockerEngineFacts, The2010OnlyFragmentsAreWhatTheExplainerSaysOf2010AndNeverOf26) {
    std::set<std::string> said_of_20_10;
    for (const char* capture : {"seed003_gap", "seed003_held_nat"}) {
        for (const char* version : {"20.10.24+dfsg1", "26.1.5+dfsg1"}) {
            Snapshot snapshot = test::seed003_snapshot(capture);
            snapshot.docker.server_version = version;
            std::string text;
            for (const Finding& finding :
                 stale_conntrack_findings(snapshot, HostPort{8888, IPPROTO_UDP}))
                for (const auto* lines : {&finding.evidence, &finding.prevent})
                    for (const std::string& line : *lines) text += line + "\n";
            ASSERT_FALSE(text.empty()) << capture;
            const auto found = test::docker_20_10_facts_in(text);
            if (std::string(version).starts_with("26.1"))
                EXPECT_TRUE(found.empty()) << capture << ": " << text;
            else
                said_of_20_10.insert(found.begin(), found.end());
        }
    }
    for (const std::string& fact : test::facts_of_docker_before_23())
        EXPECT_TRUE(said_of_20_10.count(fact)) << "never printed on 20.10: '" << fact << "'";
    EXPECT_TRUE(said_of_20_10.count("Docker 20.10"));
}

}  // namespace
}  // namespace pathwhy
