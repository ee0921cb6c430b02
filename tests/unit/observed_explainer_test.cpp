// The explainer merging what the packet tracer saw into the static diagnosis, on synthetic event
// sequences: the direction of a route into a Docker bridge (seed 000's probe goes out into it;
// seeds 002/004's replies do), drops in netfilter hooks named down to Docker's rule, the kernel's
// own drop reasons, failed ARP, and views that were missing.
#include <gtest/gtest.h>

#include <algorithm>

#include "explain/explainer.h"
#include "kernel/iptables_save.h"
#include "support/observed_events.h"
#include "support/seed_fixture.h"

namespace pathwhy {
namespace {

using namespace test;
using H = NetfilterHook;
using E = HookEdge;

const Ipv4Address kPeer = *Ipv4Address::parse("172.31.151.55");
constexpr const char* kSeedBridge = "br-e8395baf4d8b";

int ifindex(const Snapshot& snapshot, const std::string& name) {
    const Link* link = snapshot.kernel.link_by_name(name);
    if (!link) throw std::runtime_error("no link " + name);
    return link->ifindex;
}

const Finding* first_of(const Diagnosis& d, const std::string& kind) {
    for (const auto& f : d.findings)
        if (f.kind == kind) return &f;
    return nullptr;
}

bool mentions(const std::vector<std::string>& lines, const std::string& needle) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& l) { return l.find(needle) != std::string::npos; });
}

Observation observed(std::vector<ObservedEvent> events, Observation::Mode mode) {
    Observation observation;
    observation.mode = mode;
    if (mode == Observation::Mode::probe) observation.probe = "tcp:443";
    observation.watch_seconds = mode == Observation::Mode::watch ? 10 : 0;
    observation.events = std::move(events);
    observation.views = all_views();
    return observation;
}

// Seed 000's runner probing the peer: the SYN is looked up into the bridge, ARP fails there.
Observation seed000_probe(const Snapshot& snapshot) {
    const int bridge = ifindex(snapshot, kSeedBridge);
    const FlowTuple syn = tcp("172.31.0.1", 40312, "172.31.151.55", 443);
    FlowTuple asked = syn;
    asked.source = Ipv4Address{};
    asked.source_port = 0;
    return observed({lookup(0, asked, kTableMain, bridge),
                     hook(100, 0x1, H::local_out, E::entry, syn, 0, bridge),
                     hook(101, 0x1, H::local_out, E::exit, syn, 0, bridge, kCtNew),
                     hook(102, 0x1, H::postrouting, E::entry, syn, 0, bridge, kCtNew),
                     hook(103, 0x1, H::postrouting, E::exit, syn, 0, bridge, kCtNew),
                     neighbour(110, "172.31.151.55", bridge, 0x00, 0x01),
                     neighbour(3'060'000, "172.31.151.55", bridge, 0x01, 0x20),
                     icmp_error(3'060'010, 0x1, syn, 3, 1, bridge),
                     drop(3'060'020, 0x1, syn, "NEIGH_FAILED", "neigh_invalidate+0x7e", bridge)},
                    Observation::Mode::probe);
}

TEST(ObservedExplainer, SeedZeroProbeGoesOutboundIntoTheBridge) {
    const Snapshot snapshot = seed000_snapshot();
    Diagnosis d = explain_destination(snapshot, kPeer, seed000_probe(snapshot));
    EXPECT_EQ(d.verdict, Verdict::misrouted);
    ASSERT_FALSE(d.findings.empty());
    const Finding& misroute = d.findings.front();
    EXPECT_EQ(misroute.kind, "route-into-docker-bridge");
    EXPECT_EQ(misroute.direction, "outbound");
    ASSERT_FALSE(misroute.evidence.empty());
    EXPECT_EQ(misroute.evidence[0].rfind("observed: the route lookup for tcp 0.0.0.0:0 → "
                                         "172.31.151.55:443 (table main) chose br-e8395baf4d8b",
                                         0),
              0u)
        << misroute.evidence[0];
    EXPECT_TRUE(mentions(misroute.evidence, "left through br-e8395baf4d8b (POSTROUTING)"));

    const Finding* arp = first_of(d, "neighbor-unreachable");
    ASSERT_NE(arp, nullptr);
    EXPECT_EQ(arp->severity, Severity::critical);
    EXPECT_NE(arp->summary.find("ARP for 172.31.151.55 on br-e8395baf4d8b failed"),
              std::string::npos);
    EXPECT_NE(arp->summary.find("No route to host"), std::string::npos);
    EXPECT_TRUE(mentions(arp->evidence, "INCOMPLETE at +0.00 s → FAILED at +3.06 s"));
    EXPECT_TRUE(mentions(arp->evidence, "ICMP type 3 code 1 (host unreachable)"));
    EXPECT_TRUE(mentions(arp->evidence, "(NEIGH_FAILED)"));
    ASSERT_TRUE(arp->docker_network);
    EXPECT_EQ(arp->docker_network->bridge, kSeedBridge);
    // NEIGH_FAILED is neighbor-unreachable's, not a kernel-drop of its own.
    EXPECT_EQ(first_of(d, "kernel-drop"), nullptr);
    // Observed findings come before the leaked networks' warnings.
    EXPECT_EQ(d.findings[1].kind, "neighbor-unreachable");

    ASSERT_TRUE(d.trace);
    EXPECT_EQ(d.trace->probe, "tcp:443");
    EXPECT_EQ(d.trace->events, 9u);
    EXPECT_EQ(d.observed.steps.size(), 9u);
    ASSERT_EQ(d.observed.packets.size(), 1u);
    EXPECT_EQ(d.views.size(), 7u);
}

// The peer connects to this host: its SYN arrives on the uplink, the SYN-ACK goes into the bridge.
Observation reply_watch(const Snapshot& snapshot, const std::string& uplink,
                        const std::string& host, const std::string& peer, int bridge) {
    const int in = ifindex(snapshot, uplink);
    const FlowTuple syn = tcp(peer, 40000, host, 8080);
    const FlowTuple synack = tcp(host, 8080, peer, 40000);
    return observed(
        {hook(0, 0x2, H::prerouting, E::entry, syn, in, 0),
         hook(1, 0x2, H::prerouting, E::exit, syn, in, 0, kCtNew),
         lookup(2, syn, kTableMain, in, in),
         hook(3, 0x2, H::local_in, E::entry, syn, in, 0, kCtNew),
         hook(4, 0x2, H::local_in, E::exit, syn, in, 0, kCtNew),
         lookup(10, synack, kTableMain, bridge),
         hook(11, 0x3, H::local_out, E::entry, synack, 0, bridge, kCtEstablishedReply),
         hook(12, 0x3, H::local_out, E::exit, synack, 0, bridge, kCtEstablishedReply),
         hook(13, 0x3, H::postrouting, E::entry, synack, 0, bridge, kCtEstablishedReply),
         hook(14, 0x3, H::postrouting, E::exit, synack, 0, bridge, kCtEstablishedReply)},
        Observation::Mode::watch);
}

TEST(ObservedExplainer, RepliesIntoTheBridgeAreTheReplyDirection) {
    const Snapshot snapshot = seed000_snapshot();
    Diagnosis d = explain_destination(snapshot, kPeer,
                                      reply_watch(snapshot, "eth0", "172.18.2.172", "172.31.151.55",
                                                  ifindex(snapshot, kSeedBridge)));
    EXPECT_EQ(d.verdict, Verdict::misrouted);
    const Finding& misroute = d.findings.front();
    EXPECT_EQ(misroute.kind, "route-into-docker-bridge");
    EXPECT_EQ(misroute.direction, "reply");
    EXPECT_EQ(misroute.summary.rfind("replies to 172.31.151.55 are routed into Docker bridge "
                                     "br-e8395baf4d8b",
                                     0),
              0u)
        << misroute.summary;
    EXPECT_EQ(d.headline, misroute.summary);
    EXPECT_TRUE(mentions(misroute.evidence, "a SYN from 172.31.151.55 arrived on eth0"));
    EXPECT_TRUE(mentions(misroute.evidence,
                         "the SYN-ACK's route lookup, tcp 172.18.2.172:8080 → 172.31.151.55:40000 "
                         "(table main) chose br-e8395baf4d8b"));
    EXPECT_TRUE(
        mentions(misroute.evidence, "left through br-e8395baf4d8b (POSTROUTING) instead of eth0"));
    // The static evidence is kept after the observed one.
    EXPECT_TRUE(mentions(misroute.evidence, "winning route: 172.31.0.0/16"));
}

// A host whose policy routing sends only replies from 172.18.2.172 into the bridge (table 100):
// the destination itself is routed fine, so the static check finds nothing.
Snapshot policy_routed_host() {
    Snapshot snapshot;
    snapshot.kernel = kernel_state_from_ip_route(
        "default via 172.18.2.129 dev uplink\n"
        "172.18.2.128/26 dev uplink proto kernel scope link src 172.18.2.172\n"
        "192.168.99.0/24 dev br-0123456789ab proto kernel scope link src 192.168.99.1\n");
    Route swallowing;
    swallowing.table = 100;
    swallowing.destination = *Ipv4Cidr::parse("172.31.0.0/16");
    swallowing.oif = snapshot.kernel.link_by_name("br-0123456789ab")->ifindex;
    swallowing.scope = 253;
    snapshot.kernel.routes.push_back(swallowing);
    auto rule = [](std::uint32_t priority, std::uint32_t table) {
        Rule r;
        r.priority = priority;
        r.table = table;
        return r;
    };
    Rule from_host = rule(100, 100);
    from_host.source = *Ipv4Cidr::parse("172.18.2.172/32");
    snapshot.kernel.rules = {rule(0, kTableLocal), from_host, rule(32766, kTableMain),
                             rule(32767, kTableDefault)};
    snapshot.docker = docker_state_from_network_ls(
        "NETWORK ID     NAME          DRIVER    SCOPE\n"
        "0123456789ab   vpn_default   bridge    local\n",
        snapshot.kernel);
    return snapshot;
}

TEST(ObservedExplainer, AReplyMisrouteIsFoundWhenTheStaticCheckSaysOk) {
    const Snapshot snapshot = policy_routed_host();
    const Ipv4Address peer = *Ipv4Address::parse("172.31.5.9");
    ASSERT_EQ(explain_destination(snapshot, peer).verdict, Verdict::ok);

    Diagnosis d = explain_destination(snapshot, peer,
                                      reply_watch(snapshot, "uplink", "172.18.2.172", "172.31.5.9",
                                                  ifindex(snapshot, "br-0123456789ab")));
    EXPECT_EQ(d.verdict, Verdict::misrouted);
    ASSERT_FALSE(d.findings.empty());
    const Finding& misroute = d.findings.front();
    EXPECT_EQ(misroute.kind, "route-into-docker-bridge");
    EXPECT_EQ(misroute.direction, "reply");
    EXPECT_EQ(d.headline, misroute.summary);
    EXPECT_NE(misroute.summary.find("replies to 172.31.5.9 are routed into Docker bridge "
                                    "br-0123456789ab (network vpn_default)"),
              std::string::npos)
        << misroute.summary;
    // The route to blame is the one the replies' source selects: table 100's.
    EXPECT_TRUE(mentions(misroute.evidence, "winning route: 172.31.0.0/16 dev br-0123456789ab"));
    EXPECT_TRUE(mentions(misroute.evidence, "(table 100)"));
    ASSERT_TRUE(misroute.docker_network);
    EXPECT_EQ(misroute.docker_network->name, "vpn_default");
}

// Two compose networks of the recorded Docker 20.10 lab, with their containers.
Snapshot two_networks() {
    Snapshot snapshot;
    snapshot.kernel = kernel_state_from_ip_route(
        "default via 172.18.2.129 dev uplink\n"
        "172.31.0.0/16 dev br-a674c9eabe8d proto kernel scope link src 172.31.0.1\n"
        "192.168.0.0/20 dev br-fdb1070d7630 proto kernel scope link src 192.168.0.1\n");
    snapshot.docker = docker_state_from_network_ls(
        "NETWORK ID     NAME                 DRIVER    SCOPE\n"
        "a674c9eabe8d   backend-45_default   bridge    local\n"
        "fdb1070d7630   other_default        bridge    local\n",
        snapshot.kernel);
    auto container = [](const char* name, const char* network, const char* id, const char* ip) {
        DockerContainer c;
        c.id = std::string(name) + "-id";
        c.name = name;
        c.state = "running";
        c.networks.push_back({network, id, Ipv4Address::parse(ip), 16});
        return c;
    };
    snapshot.docker.containers = {
        container("backend-45-app-1", "backend-45_default", "a674c9eabe8d", "172.31.0.2"),
        container("other-app-1", "other_default", "fdb1070d7630", "192.168.0.2")};
    snapshot.ruleset = parse_iptables_save(read_fixture("iptables/docker-20.10.iptables-save.txt"));
    return snapshot;
}

Observation isolation_probe(const Snapshot& snapshot) {
    const int a = ifindex(snapshot, "br-a674c9eabe8d"), b = ifindex(snapshot, "br-fdb1070d7630");
    const FlowTuple ping = icmp("172.31.0.2", "192.168.0.2", 24300);
    Observation observation = observed(
        {hook(0, 0x4, H::prerouting, E::entry, ping, a, 0),
         hook(1, 0x4, H::prerouting, E::exit, ping, a, 0, kCtNew),
         lookup(2, ping, kTableMain, b, a), hook(3, 0x4, H::forward, E::entry, ping, a, b, kCtNew),
         drop(4, 0x4, ping, "NETFILTER_DROP", "nft_do_chain+0x3e8", b)},
        Observation::Mode::probe);
    observation.probe = "icmp";
    observation.from = "container:backend-45-app-1";
    return observation;
}

TEST(ObservedExplainer, NetfilterDropNamesDockersIsolationRule) {
    const Snapshot snapshot = two_networks();
    const Ipv4Address other = *Ipv4Address::parse("192.168.0.2");
    ASSERT_EQ(explain_destination(snapshot, other).verdict, Verdict::ok);

    Diagnosis d = explain_destination(snapshot, other, isolation_probe(snapshot));
    EXPECT_EQ(d.verdict, Verdict::dropped);
    const Finding* drop = first_of(d, "netfilter-drop");
    ASSERT_NE(drop, nullptr);
    EXPECT_EQ(d.headline, drop->summary);
    EXPECT_EQ(drop->summary,
              "icmp 172.31.0.2 → 192.168.0.2 id 24300 is dropped in FORWARD by chain "
              "DOCKER-ISOLATION-STAGE-2 (filter table)");
    ASSERT_TRUE(drop->drop);
    EXPECT_EQ(drop->drop->hook, "FORWARD");
    EXPECT_EQ(drop->drop->table, "filter");
    EXPECT_EQ(drop->drop->chain, "DOCKER-ISOLATION-STAGE-2");
    EXPECT_EQ(drop->drop->rule, "-A DOCKER-ISOLATION-STAGE-2 -o br-fdb1070d7630 -j DROP");
    EXPECT_TRUE(drop->drop->certain);
    EXPECT_EQ(drop->drop->tables, (std::vector<std::string>{"mangle", "filter", "security"}));
    EXPECT_EQ(drop->drop->reason, "NETFILTER_DROP");
    EXPECT_EQ(drop->drop->location, "nft_do_chain+0x3e8");
    EXPECT_EQ(drop->drop->in_dev, "br-a674c9eabe8d");
    EXPECT_EQ(drop->drop->out_dev, "br-fdb1070d7630");
    EXPECT_EQ(drop->drop->packets, 1);
    EXPECT_TRUE(mentions(drop->evidence, "Docker isolates its bridge networks"));
    ASSERT_FALSE(drop->fix.empty());
    EXPECT_EQ(drop->fix[0], "docker network connect other_default backend-45-app-1");
    ASSERT_TRUE(drop->docker_network);
    EXPECT_EQ(drop->docker_network->name, "other_default");
}

TEST(ObservedExplainer, WithoutARulesetTheHookAndItsTablesAreStillNamed) {
    Snapshot snapshot = two_networks();
    snapshot.ruleset.reset();
    Diagnosis d = explain_destination(snapshot, *Ipv4Address::parse("192.168.0.2"),
                                      isolation_probe(snapshot));
    const Finding* drop = first_of(d, "netfilter-drop");
    ASSERT_NE(drop, nullptr);
    EXPECT_EQ(drop->drop->hook, "FORWARD");
    EXPECT_EQ(drop->drop->table, "");
    EXPECT_EQ(drop->drop->tables, (std::vector<std::string>{"mangle", "filter", "security"}));
    EXPECT_NE(drop->summary.find("dropped in the FORWARD hook"), std::string::npos);
    EXPECT_TRUE(mentions(drop->evidence, "the ruleset was not read"));
}

TEST(ObservedExplainer, APacketFromOutsideToAnUnpublishedPortMeetsThePolicy) {
    const Snapshot snapshot = two_networks();
    const int uplink = ifindex(snapshot, "uplink"), b = ifindex(snapshot, "br-fdb1070d7630");
    const FlowTuple syn = tcp("172.18.2.129", 40000, "192.168.0.2", 22);
    Diagnosis d =
        explain_destination(snapshot, *Ipv4Address::parse("192.168.0.2"),
                            observed({hook(0, 0x5, H::forward, E::entry, syn, uplink, b, kCtNew),
                                      drop(1, 0x5, syn, "NETFILTER_DROP", "nf_hook_slow+0x9c"),
                                      hook(30, 0x6, H::forward, E::entry, syn, uplink, b, kCtNew),
                                      drop(31, 0x6, syn, "NETFILTER_DROP", "nf_hook_slow+0x9c")},
                                     Observation::Mode::watch));
    const Finding* drop = first_of(d, "netfilter-drop");
    ASSERT_NE(drop, nullptr);
    EXPECT_EQ(drop->drop->rule, "policy DROP");
    EXPECT_EQ(drop->drop->chain, "FORWARD");
    EXPECT_EQ(drop->drop->packets, 2);
    EXPECT_NE(drop->summary.find("by FORWARD's policy DROP"), std::string::npos) << drop->summary;
    EXPECT_TRUE(
        mentions(drop->fix, "iptables -I DOCKER-USER -i uplink -o br-fdb1070d7630 -j ACCEPT"));
}

TEST(ObservedExplainer, KernelDropsNameTheirReason) {
    Snapshot snapshot;
    snapshot.kernel = kernel_state_from_ip_route("default via 10.0.0.1 dev eth0\n");
    const FlowTuple syn = tcp("10.0.0.7", 40000, "10.0.0.5", 9);
    Diagnosis d = explain_destination(snapshot, *Ipv4Address::parse("10.0.0.7"),
                                      observed({hook(0, 0x7, H::local_in, E::entry, syn, 2, 0),
                                                hook(1, 0x7, H::local_in, E::exit, syn, 2, 0),
                                                drop(2, 0x7, syn, "NO_SOCKET", "tcp_v4_rcv+0x9a"),
                                                drop(5, 0x8, syn, "NO_SOCKET", "tcp_v4_rcv+0x9a")},
                                               Observation::Mode::watch));
    EXPECT_EQ(d.verdict, Verdict::dropped);
    const Finding* dropped = first_of(d, "kernel-drop");
    ASSERT_NE(dropped, nullptr);
    EXPECT_EQ(dropped->drop->reason, "NO_SOCKET");
    EXPECT_EQ(dropped->drop->location, "tcp_v4_rcv+0x9a");
    EXPECT_EQ(dropped->drop->packets, 2);
    EXPECT_TRUE(mentions(dropped->evidence, "no socket listens on its port"));
    EXPECT_EQ(d.headline, dropped->summary);
}

TEST(ObservedExplainer, MissingViewsLostEventsAndSilenceAreNoted) {
    Snapshot snapshot;
    snapshot.kernel = kernel_state_from_ip_route("default via 10.0.0.1 dev eth0\n");
    Observation observation = observed({}, Observation::Mode::watch);
    observation.views[1].active = false;
    observation.views[1].reason = "kernel 6.1 has no BPF netfilter links";
    observation.views[1].loss = "drops inside netfilter are not attributed to a hook";
    observation.lost_events = 12;
    Diagnosis d = explain_destination(snapshot, *Ipv4Address::parse("10.0.0.7"), observation);
    EXPECT_EQ(d.verdict, Verdict::ok);
    EXPECT_TRUE(mentions(d.notes,
                         "kernel view missing: netfilter verdicts (kernel 6.1 has no BPF netfilter "
                         "links); drops inside netfilter are not attributed to a hook"));
    EXPECT_TRUE(mentions(d.notes, "12 events were lost"));
    EXPECT_TRUE(mentions(d.notes, "the tracer saw no packet to or from 10.0.0.7 while watching"));
}

TEST(ObservedExplainer, WithoutAnObservationNothingIsTraced) {
    Diagnosis d = explain_destination(seed000_snapshot(), kPeer);
    EXPECT_FALSE(d.trace);
    EXPECT_TRUE(d.observed.steps.empty());
    EXPECT_TRUE(d.views.empty());
    EXPECT_EQ(d.findings.front().direction, "");
}

}  // namespace
}  // namespace pathwhy
