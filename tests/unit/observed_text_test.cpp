// The kernel path in the text output: before the explanation, packet by packet, hooks with their
// verdict and the addresses after NAT, repeated route lookups folded, unattached events last.
#include <gtest/gtest.h>

#include "explain/explainer.h"
#include "report/text_report.h"
#include "support/observed_events.h"
#include "support/seed_fixture.h"

namespace pathwhy {
namespace {

using namespace test;
using H = NetfilterHook;
using E = HookEdge;

std::string rendered(const Snapshot& snapshot, const std::string& destination,
                     Observation observation) {
    observation.views = all_views();
    return render_text(explain_destination(snapshot, *Ipv4Address::parse(destination), observation),
                       TextStyle{false});
}

TEST(ObservedText, ThePathComesBeforeTheExplanation) {
    const Snapshot snapshot = seed000_snapshot();
    const int bridge = snapshot.kernel.link_by_name("br-e8395baf4d8b")->ifindex;
    const FlowTuple syn = tcp("172.31.0.1", 40312, "172.31.151.55", 443);
    Observation observation;
    observation.mode = Observation::Mode::probe;
    observation.probe = "tcp:443";
    observation.outcome = "No route to host";
    observation.outcome_after_ms = 3064;
    observation.events = {
        lookup(0, syn, kTableMain, bridge),
        lookup(1, syn, kTableMain, bridge),
        hook(100, 0x1, H::local_out, E::entry, syn, 0, bridge),
        hook(101, 0x1, H::local_out, E::exit, syn, 0, bridge, kCtNew),
        lookup(102, syn, kTableLocal, bridge),
        neighbour(110, "172.31.151.55", bridge, 0x00, 0x01),
        drop(3'060'020, 0x1, syn, "NEIGH_FAILED", "neigh_invalidate+0x7e", bridge)};
    const std::string text = rendered(snapshot, "172.31.151.55", observation);
    const auto path =
        text.find("kernel path  probe tcp:443 → No route to host after 3.06 s · 7 events");
    const auto packet = text.find("packet 1  tcp 172.31.0.1:40312 → 172.31.151.55:443");
    const auto folded = text.find("route lookup table main → dev br-e8395baf4d8b  ×2");
    const auto hop = text.find("OUTPUT       out br-e8395baf4d8b");
    const auto check = text.find("table local → dev br-e8395baf4d8b  (an address-type check)");
    const auto dropped = text.find("dropped      NEIGH_FAILED in neigh_invalidate+0x7e");
    const auto others = text.find("not tied to one packet");
    const auto neighbour = text.find("172.31.151.55 on br-e8395baf4d8b  NONE → INCOMPLETE");
    const auto explanation = text.find("route-into-docker-bridge  (outbound)");
    for (auto at : {path, packet, folded, hop, check, dropped, others, neighbour, explanation})
        ASSERT_NE(at, std::string::npos) << text;
    EXPECT_LT(path, packet);
    EXPECT_LT(packet, folded);
    EXPECT_LT(folded, hop);
    EXPECT_LT(dropped, others);
    EXPECT_LT(neighbour, explanation);
    EXPECT_NE(text.find("accepted"), std::string::npos);
}

TEST(ObservedText, HopsShowDropsAndTheAddressesAfterNat) {
    Snapshot snapshot;
    snapshot.kernel = kernel_state_from_ip_route(
        "default via 172.18.2.129 dev uplink\n"
        "192.168.0.0/20 dev br-fdb1070d7630 proto kernel scope link src 192.168.0.1\n");
    const int uplink = 2, bridge = 3;
    const FlowTuple in = tcp("172.31.151.55", 40000, "172.18.2.172", 8080);
    const FlowTuple dnat = tcp("172.31.151.55", 40000, "192.168.0.3", 80);
    Observation observation;
    observation.mode = Observation::Mode::watch;
    observation.watch_seconds = 5;
    observation.interrupted = true;
    observation.events = {hook(0, 0x2, H::prerouting, E::entry, in, uplink, 0),
                          hook(1, 0x2, H::prerouting, E::exit, dnat, uplink, 0, kCtNew),
                          hook(2, 0x2, H::forward, E::entry, dnat, uplink, bridge, kCtNew),
                          drop(3, 0x2, dnat, "NETFILTER_DROP", "nf_hook_slow+0x9c", bridge)};
    const std::string text = rendered(snapshot, "172.31.151.55", observation);
    EXPECT_NE(text.find("kernel path  watched 5 s (ended early by Ctrl-C) · 4 events"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("PREROUTING   in uplink"), std::string::npos) << text;
    EXPECT_NE(text.find("accepted  DNAT → 192.168.0.3:80"), std::string::npos) << text;
    EXPECT_NE(text.find("FORWARD      in uplink  out br-fdb1070d7630"), std::string::npos) << text;
    EXPECT_NE(text.find("DROPPED"), std::string::npos) << text;
    EXPECT_NE(text.find("netfilter-drop"), std::string::npos) << text;
}

// A stream (seed 003's UDP sender) repeats one path: shown once with a count, so the screen
// keeps room for the explanation; a packet that goes differently starts a new block.
TEST(ObservedText, AStreamOfTheSamePathIsShownOnce) {
    Snapshot snapshot;
    snapshot.kernel = kernel_state_from_ip_route(
        "default via 172.18.2.129 dev uplink\n"
        "172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1\n");
    const int uplink = 2, docker0 = 3;
    const FlowTuple in = tcp("172.18.2.129", 40000, "172.18.2.172", 8888);
    const FlowTuple dnat = tcp("172.18.2.129", 40000, "172.17.0.2", 8888);
    Observation observation;
    observation.mode = Observation::Mode::watch;
    observation.watch_seconds = 2;
    for (std::uint64_t n = 0; n < 5; ++n) {
        const std::uint64_t at = n * 50'000, skb = 0x10 + n;
        observation.events.push_back(hook(at, skb, H::prerouting, E::entry, in, uplink, 0));
        observation.events.push_back(
            hook(at + 1, skb, H::prerouting, E::exit, dnat, uplink, 0, kCtEstablished));
        observation.events.push_back(
            hook(at + 2, skb, H::forward, E::entry, dnat, uplink, docker0, kCtEstablished));
        observation.events.push_back(
            hook(at + 3, skb, H::forward, E::exit, dnat, uplink, docker0, kCtEstablished));
    }
    // The sixth dies in FORWARD: not the same path.
    observation.events.push_back(hook(250'000, 0x20, H::prerouting, E::entry, in, uplink, 0));
    observation.events.push_back(
        hook(250'001, 0x20, H::prerouting, E::exit, dnat, uplink, 0, kCtEstablished));
    observation.events.push_back(
        hook(250'002, 0x20, H::forward, E::entry, dnat, uplink, docker0, kCtEstablished));
    observation.events.push_back(
        drop(250'003, 0x20, dnat, "NETFILTER_DROP", "nf_hook_slow+0x9c", docker0));
    const std::string text = rendered(snapshot, "172.17.0.2", observation);
    const auto stream = text.find("packets 1–5  tcp 172.18.2.129:40000 → 172.18.2.172:8888");
    const auto count = text.find("the same path for all 5, one every 50.0 ms on average");
    const auto sixth = text.find("packet 6  tcp 172.18.2.129:40000 → 172.18.2.172:8888");
    for (auto at : {stream, count, sixth}) ASSERT_NE(at, std::string::npos) << text;
    EXPECT_LT(stream, count);
    EXPECT_LT(count, sixth);
    EXPECT_EQ(text.find("packet 2"), std::string::npos) << text;
    EXPECT_NE(text.find("DROPPED", sixth), std::string::npos) << text;
}

TEST(ObservedText, NothingTracedNoPath) {
    const std::string text =
        render_text(explain_destination(seed000_snapshot(), *Ipv4Address::parse("172.31.151.55")),
                    TextStyle{false});
    EXPECT_EQ(text.find("kernel path"), std::string::npos);
}

}  // namespace
}  // namespace pathwhy
