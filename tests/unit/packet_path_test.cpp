// The packet path from synthetic tracer events: hops and verdicts (entry + exit accepted, entry
// then a free dropped, entry alone unfinished), NAT between entry and exit, route lookups joining
// their packet, and skb addresses reused by later packets.
#include "explain/packet_path.h"

#include <gtest/gtest.h>

#include "support/observed_events.h"
#include "support/seed_fixture.h"

namespace pathwhy {
namespace {

using namespace test;
using H = NetfilterHook;
using E = HookEdge;

constexpr int kUplink = 2, kBridgeA = 3, kBridgeB = 4;

KernelState names() {
    return kernel_state_from_ip_route(
        "default via 172.18.2.129 dev uplink\n"
        "172.31.0.0/16 dev br-a674c9eabe8d proto kernel scope link src 172.31.0.1\n"
        "192.168.0.0/20 dev br-fdb1070d7630 proto kernel scope link src 192.168.0.1\n");
}

TEST(PacketPath, DeviceIndexesOfTheFixture) {
    const KernelState kernel = names();
    EXPECT_EQ(kernel.link_name(kUplink), "uplink");
    EXPECT_EQ(kernel.link_name(kBridgeA), "br-a674c9eabe8d");
    EXPECT_EQ(kernel.link_name(kBridgeB), "br-fdb1070d7630");
}

TEST(PacketPath, EntryAndExitMeanAcceptedEntryAloneMeansDropped) {
    const FlowTuple ping = icmp("172.31.0.2", "192.168.0.2", 7);
    ObservedPath path =
        build_observed_path({hook(0, 0xa, H::prerouting, E::entry, ping, kBridgeA, 0),
                             hook(1, 0xa, H::prerouting, E::exit, ping, kBridgeA, 0, kCtNew),
                             hook(3, 0xa, H::forward, E::entry, ping, kBridgeA, kBridgeB, kCtNew),
                             drop(4, 0xa, ping, "NETFILTER_DROP", "nft_do_chain+0x3e8")},
                            names());
    ASSERT_EQ(path.packets.size(), 1u);
    const PacketPath& packet = path.packets[0];
    ASSERT_EQ(packet.hops.size(), 2u);
    EXPECT_EQ(packet.hops[0].hook, H::prerouting);
    EXPECT_EQ(packet.hops[0].verdict, HopVerdict::accepted);
    EXPECT_EQ(packet.hops[0].in_dev, "br-a674c9eabe8d");
    EXPECT_EQ(packet.hops[1].hook, H::forward);
    EXPECT_EQ(packet.hops[1].verdict, HopVerdict::dropped);
    EXPECT_EQ(packet.hops[1].out_dev, "br-fdb1070d7630");
    ASSERT_NE(packet.dropped_in(), nullptr);
    EXPECT_EQ(packet.dropped_in()->hook, H::forward);
    EXPECT_EQ(packet.steps.size(), 4u);
    for (const auto& step : path.steps) EXPECT_EQ(step.packet, 0);
}

TEST(PacketPath, AnEntryWithNothingAfterItIsUnfinishedNotDropped) {
    const FlowTuple ping = icmp("172.31.0.2", "192.168.0.2", 7);
    ObservedPath path = build_observed_path(
        {hook(3, 0xa, H::forward, E::entry, ping, kBridgeA, kBridgeB, kCtNew)}, names());
    ASSERT_EQ(path.packets.size(), 1u);
    EXPECT_EQ(path.packets[0].hops[0].verdict, HopVerdict::unfinished);
    EXPECT_EQ(path.packets[0].dropped_in(), nullptr);
    EXPECT_NE(path.packets[0].unfinished_in(), nullptr);
}

TEST(PacketPath, AFreeInsideTheHookJoinsThePacketWhateverNatDidToIt) {
    const FlowTuple sent = tcp("172.18.2.172", 41000, "172.18.2.172", 8080);
    const FlowTuple dnat = tcp("172.18.2.172", 41000, "192.168.0.2", 80);
    ObservedPath path =
        build_observed_path({hook(0, 0x9, H::local_out, E::entry, sent, 0, 1),
                             drop(1, 0x9, dnat, "NETFILTER_DROP", "nf_hook_slow+0x9c")},
                            names());
    ASSERT_EQ(path.packets.size(), 1u);
    ASSERT_NE(path.packets[0].dropped_in(), nullptr);
    EXPECT_EQ(path.packets[0].dropped_in()->drop_step, 1u);
}

TEST(PacketPath, AMissingExitIsNotADropWhenThePacketShowsUpLater) {
    const FlowTuple syn = tcp("172.31.151.55", 40000, "172.18.2.172", 8080);
    ObservedPath path = build_observed_path({hook(0, 0xb, H::prerouting, E::entry, syn, kUplink, 0),
                                             hook(2, 0xb, H::local_in, E::entry, syn, kUplink, 0),
                                             hook(3, 0xb, H::local_in, E::exit, syn, kUplink, 0)},
                                            names());
    ASSERT_EQ(path.packets.size(), 1u);
    EXPECT_EQ(path.packets[0].dropped_in(), nullptr);
    EXPECT_EQ(path.packets[0].hops[0].verdict, HopVerdict::accepted);
}

TEST(PacketPath, AddressChangesBetweenEntryAndExitAreTheNat) {
    const FlowTuple in = tcp("172.31.151.55", 40000, "172.18.2.172", 8080);
    const FlowTuple dnat = tcp("172.31.151.55", 40000, "192.168.0.3", 80);
    const FlowTuple snat = tcp("192.168.0.1", 40000, "192.168.0.3", 80);
    ObservedPath path =
        build_observed_path({hook(0, 0xc, H::prerouting, E::entry, in, kUplink, 0),
                             hook(1, 0xc, H::prerouting, E::exit, dnat, kUplink, 0, kCtNew),
                             hook(2, 0xc, H::forward, E::entry, dnat, kUplink, kBridgeB, kCtNew),
                             hook(3, 0xc, H::forward, E::exit, dnat, kUplink, kBridgeB, kCtNew),
                             hook(4, 0xc, H::postrouting, E::entry, dnat, 0, kBridgeB, kCtNew),
                             hook(5, 0xc, H::postrouting, E::exit, snat, 0, kBridgeB, kCtNew)},
                            names());
    ASSERT_EQ(path.packets.size(), 1u);
    const auto& rewrites = path.packets[0].rewrites;
    ASSERT_EQ(rewrites.size(), 2u);
    EXPECT_EQ(rewrites[0].where, "PREROUTING");
    EXPECT_EQ(rewrites[0].kind(), "DNAT");
    EXPECT_EQ(rewrites[0].after.destination.str(), "192.168.0.3");
    EXPECT_EQ(rewrites[1].where, "POSTROUTING");
    EXPECT_EQ(rewrites[1].kind(), "SNAT");
    EXPECT_EQ(path.packets[0].hops[0].exit->destination_port, 80);
}

TEST(PacketPath, ARewriteBetweenHooksIsFoundToo) {
    const FlowTuple before = tcp("10.0.0.1", 1000, "10.0.0.2", 80);
    const FlowTuple after = tcp("10.0.0.1", 1000, "10.0.0.9", 80);
    // The PREROUTING exit was lost: the FORWARD entry already carries the new destination.
    ObservedPath path =
        build_observed_path({hook(0, 0xd, H::prerouting, E::entry, before, kUplink, 0),
                             hook(2, 0xd, H::forward, E::entry, after, kUplink, kBridgeA),
                             hook(3, 0xd, H::forward, E::exit, after, kUplink, kBridgeA)},
                            names());
    ASSERT_EQ(path.packets[0].rewrites.size(), 1u);
    EXPECT_EQ(path.packets[0].rewrites[0].where, "between PREROUTING and FORWARD");
    EXPECT_EQ(path.packets[0].rewrites[0].kind(), "DNAT");
}

TEST(PacketPath, ARouteLookupJoinsThePacketItWasFor) {
    const FlowTuple syn = tcp("172.31.0.1", 40312, "172.31.151.55", 443);
    FlowTuple connect_lookup = syn;
    connect_lookup.source_port = 0;  // connect() looks up before it has a port
    ObservedPath path = build_observed_path(
        {lookup(0, connect_lookup, kTableMain, kBridgeA),
         hook(200, 0xe, H::local_out, E::entry, syn, 0, kBridgeA),
         hook(201, 0xe, H::local_out, E::exit, syn, 0, kBridgeA),
         lookup(202, tcp("172.18.2.172", 8080, "10.9.9.9", 1), kTableMain, kUplink)},
        names());
    ASSERT_EQ(path.packets.size(), 1u);
    EXPECT_EQ(path.steps[0].packet, 0);
    EXPECT_EQ(path.steps[0].nexthop_dev, "br-a674c9eabe8d");
    EXPECT_EQ(path.steps[0].in_dev, "lo");
    EXPECT_EQ(path.steps[3].packet, -1) << "another flow's lookup joins nothing";
    EXPECT_EQ(path.packets[0].steps.front(), 0u);
}

TEST(PacketPath, AnIcmpLookupJoinsItsEchoRequestWhateverItsPortFields) {
    const FlowTuple echo = icmp("172.31.0.1", "172.31.151.55", 23626);
    FlowTuple asked = icmp("0.0.0.0", "172.31.151.55", 0x0800);  // type 8, code 0 in the ports
    ObservedPath path =
        build_observed_path({lookup(0, asked, kTableMain, kBridgeA),
                             hook(300, 0xf, H::local_out, E::entry, echo, 0, kBridgeA)},
                            names());
    EXPECT_EQ(path.steps[0].packet, 0);
}

TEST(PacketPath, ARetransmissionsLookupJoinsTheRetransmission) {
    const FlowTuple synack = tcp("172.18.2.172", 8080, "172.31.151.55", 40000);
    ObservedPath path = build_observed_path(
        {lookup(0, synack, kTableMain, kBridgeA),
         hook(1, 0x10, H::local_out, E::entry, synack, 0, kBridgeA),
         hook(2, 0x10, H::local_out, E::exit, synack, 0, kBridgeA),
         lookup(1'000'000, synack, kTableMain, kBridgeA),
         hook(1'000'001, 0x11, H::local_out, E::entry, synack, 0, kBridgeA),
         hook(1'000'002, 0x11, H::local_out, E::exit, synack, 0, kBridgeA),
         drop(3'000'000, 0x10, synack, "NEIGH_FAILED", "neigh_invalidate+0x7e", kBridgeA),
         drop(3'000'001, 0x11, synack, "NEIGH_FAILED", "neigh_invalidate+0x7e", kBridgeA)},
        names());
    ASSERT_EQ(path.packets.size(), 2u);
    EXPECT_EQ(path.steps[0].packet, 0);
    EXPECT_EQ(path.steps[3].packet, 1);
    // The drop three seconds later still belongs to the packet that waited for ARP.
    EXPECT_EQ(path.steps[6].packet, 0);
}

TEST(PacketPath, AReusedSkbAddressStartsANewPacket) {
    const FlowTuple first = tcp("10.0.0.1", 1000, "10.0.0.2", 80);
    const FlowTuple second = tcp("10.0.0.1", 1001, "10.0.0.2", 80);
    ObservedPath path = build_observed_path(
        {hook(0, 0x20, H::local_out, E::entry, first, 0, kUplink),
         hook(1, 0x20, H::local_out, E::exit, first, 0, kUplink),
         hook(2, 0x20, H::postrouting, E::entry, first, 0, kUplink),
         hook(3, 0x20, H::postrouting, E::exit, first, 0, kUplink),
         // freed after sending, its memory taken by the next packet: OUTPUT again
         hook(50, 0x20, H::local_out, E::entry, second, 0, kUplink),
         drop(51, 0x20, second, "NOT_SPECIFIED", "x+0x1")},
        names());
    ASSERT_EQ(path.packets.size(), 2u);
    EXPECT_EQ(path.packets[1].first_seen, second);
    EXPECT_EQ(path.packets[0].dropped_in(), nullptr);
    EXPECT_NE(path.packets[1].dropped_in(), nullptr);
}

TEST(PacketPath, LocalTableLookupsOutOfADeviceAreAddressChecks) {
    const FlowTuple flow = tcp("172.31.0.1", 1, "172.31.151.55", 443);
    EXPECT_TRUE(is_address_check(lookup(0, flow, kTableLocal, kBridgeA)));
    EXPECT_FALSE(is_address_check(lookup(0, flow, kTableMain, kBridgeA)));
    EXPECT_FALSE(is_address_check(lookup(0, flow, kTableLocal, 1)));  // a local address: lo
}

TEST(PacketPath, NeighbourChangesBelongToNoPacketAndTimesAreOffsets) {
    ObservedPath path =
        build_observed_path({neighbour(10, "172.31.151.55", kBridgeA, 0x00, 0x01),
                             neighbour(3'000'010, "172.31.151.55", kBridgeA, 0x01, 0x20)},
                            names());
    EXPECT_TRUE(path.packets.empty());
    ASSERT_EQ(path.steps.size(), 2u);
    EXPECT_EQ(path.steps[0].offset_ns, 0u);
    EXPECT_EQ(path.steps[1].offset_ns, 3'000'000'000u);
    EXPECT_EQ(path.steps[1].out_dev, "br-a674c9eabe8d");
    EXPECT_EQ(path.steps[1].packet, -1);
}

TEST(PacketPath, DescribesFlows) {
    EXPECT_EQ(describe_flow(tcp("172.31.0.1", 40312, "172.31.151.55", 443)),
              "tcp 172.31.0.1:40312 → 172.31.151.55:443");
    EXPECT_EQ(describe_flow(icmp("10.0.0.1", "10.0.0.2", 7)), "icmp 10.0.0.1 → 10.0.0.2 id 7");
}

}  // namespace
}  // namespace pathwhy
