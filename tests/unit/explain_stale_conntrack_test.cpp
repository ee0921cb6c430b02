// stale-conntrack and the NAT reasoning behind it, on seed 003 as captured in a lab (both forms,
// userland proxy on and off, and the tables after the fix), and on variations of those tables:
// another Docker version, another container owning the old address, flows Docker serves without
// NAT by design.
#include <gtest/gtest.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <netinet/in.h>

#include <algorithm>

#include "explain/conntrack_nat.h"
#include "explain/stale_conntrack.h"
#include "explain/target_explainer.h"
#include "report/json_report.h"
#include "support/conntrack_fixture.h"

namespace pathwhy {
namespace {

const HostPort kPort{8888, IPPROTO_UDP};
const Ipv4Address kHost = *Ipv4Address::parse("172.18.2.172");
const Ipv4Address kSender = *Ipv4Address::parse("172.18.2.129");
const Ipv4Address kOld = *Ipv4Address::parse("172.17.0.2");
const Ipv4Address kNew = *Ipv4Address::parse("172.18.0.2");

bool any_line_has(const std::vector<std::string>& lines, const std::string& text) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) {
        return line.find(text) != std::string::npos;
    });
}

const ConntrackEntry& stream_entry(const Snapshot& snapshot) {
    for (const auto& entry : snapshot.conntrack->entries)
        if (entry.original.source == kSender && entry.original.destination_port == 8888)
            return entry;
    throw std::runtime_error("no stream entry in the fixture");
}

TEST(ConntrackNat, TheGapEntryHasNoNatAndIsStale) {
    const Snapshot snapshot = test::seed003_snapshot("seed003_gap");
    const ConntrackEntry& entry = stream_entry(snapshot);
    EXPECT_FALSE(entry.destination_translated());
    EXPECT_TRUE(addressed_to_host_port(snapshot, entry, kPort));
    EXPECT_TRUE(addressed_to_host_port(snapshot, entry, kPort, kHost));
    EXPECT_FALSE(addressed_to_host_port(snapshot, entry, {8888, IPPROTO_TCP}));
    auto reading = read_stale_nat(snapshot, entry);
    ASSERT_TRUE(reading);
    EXPECT_EQ(reading->nat, StaleNat::none);
    EXPECT_EQ(reading->address, kHost);
    ASSERT_TRUE(reading->publisher);
    EXPECT_EQ(reading->publisher->container->name, "seed003-app-1");
    EXPECT_EQ(reading->publisher->address, kNew);
    EXPECT_EQ(reading->publisher->network_name, "seed003_default");
}

TEST(ConntrackNat, TheHeldEntryDnatsToAnAddressNoContainerHas) {
    const Snapshot snapshot = test::seed003_snapshot("seed003_held_nat");
    auto reading = read_stale_nat(snapshot, stream_entry(snapshot));
    ASSERT_TRUE(reading);
    EXPECT_EQ(reading->nat, StaleNat::gone_address);
    EXPECT_EQ(reading->address, kOld);
    EXPECT_EQ(reading->port, 8888);
    EXPECT_EQ(reading->owner, nullptr);
}

TEST(ConntrackNat, AfterTheFixTheNewEntryDnatsToThePublisher) {
    for (const char* capture : {"seed003_gap", "seed003_gap_proxy", "seed003_held_nat"}) {
        const Snapshot snapshot = test::seed003_snapshot(capture, "conntrack_L_fixed.txt");
        const ConntrackEntry& entry = stream_entry(snapshot);
        EXPECT_EQ(entry.reply.source, kNew) << capture;
        EXPECT_FALSE(read_stale_nat(snapshot, entry)) << capture;
        EXPECT_TRUE(stale_conntrack_findings(snapshot, kPort).empty()) << capture;
    }
}

TEST(ConntrackNat, DockerProxysOwnFlowsToTheContainerAreNotStale) {
    const Snapshot snapshot = test::seed003_snapshot("seed003_gap_proxy");
    int relayed = 0;
    for (const auto& entry : snapshot.conntrack->entries) {
        if (entry.original.source != *Ipv4Address::parse("172.18.0.1")) continue;
        ++relayed;  // docker-proxy -> container: not addressed to the host at all
        EXPECT_FALSE(addressed_to_host_port(snapshot, entry, kPort));
    }
    EXPECT_GT(relayed, 0);
    EXPECT_EQ(stale_conntrack_findings(snapshot, kPort).size(), 1u);
}

TEST(ConntrackNat, FlowsDockerServesWithoutNatByDesignAreNotStale) {
    Snapshot snapshot = test::seed003_snapshot("seed003_gap_proxy");
    ConntrackEntry hairpin = stream_entry(snapshot);
    hairpin.original.source = *Ipv4Address::parse("172.17.0.3");  // a container on docker0
    hairpin.reply.destination = hairpin.original.source;
    EXPECT_FALSE(read_stale_nat(snapshot, hairpin)) << "docker-proxy serves it, by design";
    snapshot.docker.daemon_config.userland_proxy = false;
    EXPECT_TRUE(read_stale_nat(snapshot, hairpin)) << "without the proxy Docker NATs hairpins";

    ConntrackEntry closing = stream_entry(snapshot);
    closing.original.protocol = closing.reply.protocol = IPPROTO_TCP;
    closing.tcp_state = TCP_CONNTRACK_TIME_WAIT;
    EXPECT_FALSE(read_stale_nat(snapshot, closing));
}

TEST(ConntrackNat, AnOldAddressNowOwnedByAnotherContainerIsNamed) {
    Snapshot snapshot = test::seed003_snapshot("seed003_held_nat");
    DockerContainer other;
    other.id = std::string(64, 'b');
    other.name = "batch-worker";
    other.state = "running";
    other.networks.push_back({"bridge", "", kOld, 16});
    snapshot.docker.containers.push_back(other);
    auto findings = stale_conntrack_findings(snapshot, kPort);
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].conntrack->nat, StaleNat::other_container);
    EXPECT_EQ(findings[0].conntrack->stale_owner, "batch-worker");
    EXPECT_NE(findings[0].summary.find("container batch-worker"), std::string::npos);
}

TEST(ConntrackNat, ANonDockerDnatOfAnUnpublishedPortIsLeftAlone) {
    Snapshot snapshot = test::seed003_snapshot("seed003_held_nat");
    snapshot.docker.containers.clear();  // nothing publishes 8888/udp any more
    ConntrackEntry entry = stream_entry(snapshot);
    EXPECT_TRUE(read_stale_nat(snapshot, entry)) << "172.17.0.2 is in docker0's subnet";
    entry.reply.source = *Ipv4Address::parse("192.168.122.10");  // a VM behind the host's DNAT
    EXPECT_FALSE(read_stale_nat(snapshot, entry));
}

TEST(StaleConntrack, GapFindingNamesEntryNowThenAndTheExactDelete) {
    const Snapshot snapshot = test::seed003_snapshot("seed003_gap");
    auto findings = stale_conntrack_findings(snapshot, kPort);
    ASSERT_EQ(findings.size(), 1u);
    const Finding& f = findings[0];
    EXPECT_EQ(f.kind, "stale-conntrack");
    EXPECT_EQ(f.severity, Severity::critical);
    EXPECT_EQ(f.summary,
              "1 conntrack entry for 172.18.2.172:8888/udp is not DNATed: the flow goes to this "
              "host itself, not to container seed003-app-1 (172.18.0.2:8888)");
    EXPECT_TRUE(any_line_has(f.evidence,
                             "entry: udp 17 29 src=172.18.2.129 dst=172.18.2.172 "
                             "sport=40000 dport=8888 [UNREPLIED]"));
    EXPECT_TRUE(any_line_has(f.evidence, "created 1 s ago, 17 packets so far"));
    EXPECT_TRUE(any_line_has(f.evidence, "net.netfilter.nf_conntrack_udp_timeout,"));
    EXPECT_TRUE(any_line_has(f.evidence, "\"userland-proxy\": false"));
    EXPECT_TRUE(any_line_has(f.evidence, "Docker 20.10.24+dfsg1 flushes"));
    ASSERT_FALSE(f.fix.empty());
    EXPECT_EQ(f.fix[0],
              "ip netns exec pw-lab conntrack -D -p udp --orig-src 172.18.2.129 --orig-port-src "
              "40000 --orig-dst 172.18.2.172 --orig-port-dst 8888 --reply-src 172.18.2.172");
    // The same place the diagnosis looked: namespace, Docker endpoint and daemon.json.
    EXPECT_TRUE(any_line_has(f.fix,
                             "pathwhy :8888/udp --netns pw-lab --docker-host "
                             "unix:///tmp/pathwhy-lab/docker.sock --daemon-json daemon.json --fix"));
    EXPECT_TRUE(any_line_has(f.prevent, "conntrack -D -p udp --orig-port-dst 8888"));
    EXPECT_TRUE(any_line_has(f.prevent, "upgrade Docker to 23.0"));
    ASSERT_TRUE(f.docker_network);
    EXPECT_EQ(f.docker_network->name, "seed003_default");
    ASSERT_TRUE(f.conntrack);
    EXPECT_EQ(f.conntrack->entries.size(), 1u);
    EXPECT_EQ(f.conntrack->entries[0].age_seconds, 1);
}

TEST(StaleConntrack, HeldFindingNamesTheOldBridgeWhereThePacketsDie) {
    const Snapshot snapshot = test::seed003_snapshot("seed003_held_nat");
    auto findings = stale_conntrack_findings(snapshot, kPort);
    ASSERT_EQ(findings.size(), 1u);
    const Finding& f = findings[0];
    EXPECT_EQ(f.summary,
              "1 conntrack entry for 172.18.2.172:8888/udp still DNATs to 172.17.0.2:8888, which "
              "no running container has; the port now leads to container seed003-app-1 "
              "(172.18.0.2:8888)");
    EXPECT_TRUE(any_line_has(f.evidence, "into bridge docker0 (network bridge)"));
    EXPECT_TRUE(any_line_has(f.evidence, "nf_conntrack_udp_timeout_stream"));
    EXPECT_TRUE(any_line_has(f.fix, "--reply-src 172.17.0.2"));
    EXPECT_TRUE(any_line_has(f.prevent, "ipv4_address"));
}

TEST(StaleConntrack, WithTheProxyTheContainerSeesTheGatewayNotTheSender) {
    const Snapshot snapshot = test::seed003_snapshot("seed003_gap_proxy");
    auto findings = stale_conntrack_findings(snapshot, kPort);
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_TRUE(any_line_has(findings[0].evidence, "docker-proxy"));
    EXPECT_TRUE(any_line_has(findings[0].evidence, "the container sees 172.18.0.1"));
}

TEST(StaleConntrack, WhatEachDockerVersionFlushes) {
    Snapshot snapshot = test::seed003_snapshot("seed003_gap");
    snapshot.docker.server_version = "27.3.1";
    auto f = stale_conntrack_findings(snapshot, kPort).at(0);
    EXPECT_TRUE(any_line_has(f.evidence, "flushes UDP entries for host port 8888"));
    EXPECT_FALSE(any_line_has(f.prevent, "upgrade Docker"));

    // 29.5 flushes by the container port: seen only when host and container ports differ.
    snapshot.docker.server_version = "29.5.0";
    for (auto& container : snapshot.docker.containers)
        for (auto& port : container.ports) port.container_port = 9999;
    f = stale_conntrack_findings(snapshot, kPort).at(0);
    EXPECT_TRUE(any_line_has(f.evidence, "moby#53384"));
    EXPECT_TRUE(any_line_has(f.prevent, "-p 8888:8888/udp"));

    snapshot.docker.server_version = "";
    f = stale_conntrack_findings(snapshot, kPort).at(0);
    EXPECT_TRUE(any_line_has(f.evidence, "up to 22.x"));
}

TEST(StaleConntrack, ANamespacePathIsEnteredWithNsenter) {
    EXPECT_EQ(netns_command_prefix(""), "");
    EXPECT_EQ(netns_command_prefix("ci-runner"), "ip netns exec ci-runner ");
    EXPECT_EQ(netns_command_prefix("/proc/42/ns/net"), "nsenter --net=/proc/42/ns/net ");
}

TEST(PublishedPortDiagnosis, StaleEntriesDecideTheVerdictAndComeFirst) {
    const Snapshot snapshot = test::seed003_snapshot("seed003_gap");
    Diagnosis d = explain_published_port(snapshot, kPort);
    EXPECT_EQ(d.verdict, Verdict::misrouted);
    EXPECT_EQ(d.destination, kNew);
    ASSERT_TRUE(d.port);
    EXPECT_EQ(d.port->describe(),
              "0.0.0.0:8888/udp → seed003-app-1 172.18.0.2:8888 (network seed003_default)");
    ASSERT_FALSE(d.findings.empty());
    EXPECT_EQ(d.findings[0].kind, "stale-conntrack");
    EXPECT_EQ(d.headline, d.findings[0].summary);
    ASSERT_TRUE(d.route);
    EXPECT_EQ(d.route->dev, "br-63ad0aea3867");
}

TEST(PublishedPortDiagnosis, HealthyAfterTheFix) {
    const Snapshot snapshot = test::seed003_snapshot("seed003_gap", "conntrack_L_fixed.txt");
    Diagnosis d = explain_published_port(snapshot, kPort, kHost);
    EXPECT_EQ(d.verdict, Verdict::ok);
    EXPECT_EQ(d.headline,
              "172.18.2.172:8888/udp leads to container seed003-app-1 172.18.0.2:8888 (network "
              "seed003_default), and no conntrack entry holds an older NAT for it");
}

TEST(PublishedPortDiagnosis, APortNobodyPublishesIsUnreachable) {
    const Snapshot snapshot = test::seed003_snapshot("seed003_gap");
    Diagnosis d = explain_published_port(snapshot, {9999, IPPROTO_UDP});
    EXPECT_EQ(d.verdict, Verdict::unreachable);
    ASSERT_FALSE(d.findings.empty());
    EXPECT_EQ(d.findings[0].kind, "port-not-published");
    // Found by the host port (a stopped container keeps its bindings), not by `docker ps
    // --filter publish=`, which matches the container's port.
    EXPECT_EQ(d.findings[0].fix.at(0).substr(0, d.findings[0].fix.at(0).find("   #")),
              "docker inspect --format '{{.Name}} {{json .HostConfig.PortBindings}}' "
              "$(docker ps --all --quiet) | grep '/udp\":\\[[^]]*\"HostPort\":\"9999\"'");
    EXPECT_EQ(d.destination, Ipv4Address{});
}

TEST(PublishedPortDiagnosis, AnUnreadableTableIsANote) {
    Snapshot snapshot = test::seed003_snapshot("seed003_gap");
    snapshot.conntrack =
        ConntrackTable{"cannot list conntrack entries: Operation not permitted", {}};
    Diagnosis d = explain_published_port(snapshot, kPort);
    EXPECT_EQ(d.verdict, Verdict::ok);
    EXPECT_TRUE(any_line_has(d.notes, "stale NAT entries were not checked"));
    EXPECT_NE(d.headline.find("stale NAT was not checked"), std::string::npos) << d.headline;
}

TEST(ContainerDiagnosis, CoversEveryPortTheContainerPublishes) {
    const Snapshot snapshot = test::seed003_snapshot("seed003_held_nat");
    const DockerContainer& app = snapshot.docker.containers.at(0);
    Diagnosis d = explain_container(snapshot, app);
    EXPECT_EQ(d.verdict, Verdict::misrouted);
    EXPECT_EQ(d.destination, kNew);
    EXPECT_EQ(d.findings.at(0).conntrack->nat, StaleNat::gone_address);
}

TEST(StaleConntrackJson, TheFindingCarriesBothTuplesAndWhereTheyLead) {
    const Snapshot snapshot = test::seed003_snapshot("seed003_held_nat");
    Diagnosis d = explain_published_port(snapshot, kPort);
    d.target = ":8888/udp";
    auto j = nlohmann::json::parse(
        diagnosis_to_json(d, {"pw-lab", DockerStatus::ok, "", "", ""}).dump());
    EXPECT_EQ(j["target"], ":8888/udp");
    EXPECT_EQ(j["destination"], "172.18.0.2");
    EXPECT_EQ(j["port"]["host"], "0.0.0.0");
    EXPECT_EQ(j["port"]["port"], 8888);
    EXPECT_EQ(j["port"]["protocol"], "udp");
    EXPECT_EQ(j["port"]["container"]["name"], "seed003-app-1");
    EXPECT_EQ(j["port"]["container"]["ipv4"], "172.18.0.2");
    EXPECT_EQ(j["port"]["container"]["network"], "seed003_default");
    const auto& c = j["findings"][0]["conntrack"];
    EXPECT_EQ(c["nat"], "gone-address");
    EXPECT_EQ(c["stale_target"]["ipv4"], "172.17.0.2");
    EXPECT_EQ(c["stale_target"]["port"], 8888);
    EXPECT_TRUE(c["stale_target"]["container"].is_null());
    const auto& entry = c["entries"][0];
    EXPECT_EQ(entry["protocol"], "udp");
    EXPECT_EQ(entry["original"]["src"], "172.18.2.129");
    EXPECT_EQ(entry["original"]["sport"], 40000);
    EXPECT_EQ(entry["reply"]["src"], "172.17.0.2");
    EXPECT_TRUE(entry["tcp_state"].is_null());
    EXPECT_EQ(entry["timeout_seconds"], 119);
    EXPECT_EQ(entry["age_seconds"], 0);
    EXPECT_EQ(entry["counters_original"]["packets"], 2);
    EXPECT_NE(std::find(entry["status"].begin(), entry["status"].end(), "ASSURED"),
              entry["status"].end());
    // Other findings carry null, not a missing key.
    for (const auto& finding : j["findings"]) {
        if (finding["kind"] != "stale-conntrack") {
            EXPECT_TRUE(finding["conntrack"].is_null());
        }
    }
}

}  // namespace
}  // namespace pathwhy
