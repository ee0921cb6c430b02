// Netfilter hooks on the real kernel, through BPF netfilter links made inside a lab router's
// namespace: entry and exit at each of the five IPv4 hooks, a DNAT rule's rewrite visible
// between PREROUTING's entry and exit (with the conntrack entry's NAT bit), and a FORWARD DROP
// rule seen as an entry without an exit plus a kfree_skb NETFILTER_DROP of the same skb. The
// iptables rules live in the lab namespace only.
#include <gtest/gtest.h>

#include "events.h"
#include "support/privileges.h"
#include "support/trace_lab.h"
#include "trace/kernel_features.h"
#include "trace/packet_tracer.h"

namespace pathwhy {
namespace {

using test::collect_until;
using test::describe;
using test::RoutedLab;

constexpr std::uint32_t kIpsDstNat = 1u << 5;  // IPS_DST_NAT

using Events = std::vector<ObservedEvent>;

bool seen_at(const Events& events, NetfilterHook hook, HookEdge edge) {
    for (const auto& e : events)
        if (e.kind == ObservedEvent::Kind::netfilter && e.hook == hook && e.edge == edge)
            return true;
    return false;
}

const ObservedEvent* find_at(const Events& events, NetfilterHook hook, HookEdge edge,
                             std::uint64_t packet_id = 0) {
    for (const auto& e : events)
        if (e.kind == ObservedEvent::Kind::netfilter && e.hook == hook && e.edge == edge &&
            (packet_id == 0 || e.packet_id == packet_id))
            return &e;
    return nullptr;
}

void require_netfilter_links(PacketTracer& tracer) {
    for (const auto& status : tracer.views())
        if (status.view == KernelView::netfilter_verdicts && !status.active)
            GTEST_SKIP() << "no netfilter verdicts here: " << status.reason;
}

TEST(TraceNetfilter, SeesEntryAndExitAtEveryHook) {
    PATHWHY_REQUIRE_ROOT();
    RoutedLab lab("na");
    KernelFeatures features;
    PacketTracer tracer(features, {lab.router.name(), {*Ipv4Cidr::parse(RoutedLab::kServer)}});
    require_netfilter_links(tracer);

    ASSERT_TRUE(test::ping(lab.client, RoutedLab::kServer));  // forwarded by the router
    ASSERT_TRUE(test::ping(lab.router, RoutedLab::kServer));  // sent and answered locally
    const std::vector<NetfilterHook> hooks{NetfilterHook::prerouting, NetfilterHook::local_in,
                                           NetfilterHook::forward, NetfilterHook::local_out,
                                           NetfilterHook::postrouting};
    auto all_seen = [&](const Events& events) {
        for (NetfilterHook hook : hooks)
            if (!seen_at(events, hook, HookEdge::entry) || !seen_at(events, hook, HookEdge::exit))
                return false;
        return true;
    };
    Events seen = collect_until(tracer, all_seen);
    ASSERT_TRUE(all_seen(seen)) << describe(seen);

    const int r0 = test::ifindex_in(lab.router, "r0");
    const int r1 = test::ifindex_in(lab.router, "r1");
    for (const auto& e : seen) {
        if (e.kind != ObservedEvent::Kind::netfilter) continue;
        EXPECT_EQ(e.netns_inode, test::netns_inode_of(lab.router));
        EXPECT_EQ(e.priority,
                  e.edge == HookEdge::entry ? PW_HOOK_ENTRY_PRIORITY : PW_HOOK_EXIT_PRIORITY);
        EXPECT_EQ(e.packet.protocol, 1);  // ICMP
        // Every exit follows an entry of the same packet at the same hook.
        if (e.edge == HookEdge::exit)
            EXPECT_NE(find_at(seen, e.hook, HookEdge::entry, e.packet_id), nullptr);
    }
    const ObservedEvent* forwarded = find_at(seen, NetfilterHook::forward, HookEdge::entry);
    ASSERT_NE(forwarded, nullptr);
    EXPECT_EQ(forwarded->packet.source.str(), RoutedLab::kClient);
    EXPECT_EQ(forwarded->in_ifindex, r0);
    EXPECT_EQ(forwarded->out_ifindex, r1);
    EXPECT_NE(forwarded->packet.destination_port, 0) << "the ICMP echo id";
}

TEST(TraceNetfilter, DnatShowsBetweenPreroutingEntryAndExit) {
    PATHWHY_REQUIRE_ROOT();
    RoutedLab lab("nb");
    const std::string service = "10.71.2.100";  // exists only as the DNAT rule's match
    test::run_in(lab.router, {"iptables", "-t", "nat", "-A", "PREROUTING", "-d", service, "-j",
                              "DNAT", "--to-destination", RoutedLab::kServer});
    KernelFeatures features;
    PacketTracer tracer(features, {lab.router.name(), {*Ipv4Cidr::parse("10.71.2.0/24")}});
    require_netfilter_links(tracer);

    ASSERT_TRUE(test::ping(lab.client, service));
    auto rewritten = [&](const Events& events) {
        const ObservedEvent* entry = find_at(events, NetfilterHook::prerouting, HookEdge::entry);
        return entry &&
               find_at(events, NetfilterHook::prerouting, HookEdge::exit, entry->packet_id);
    };
    Events seen = collect_until(tracer, rewritten);
    ASSERT_TRUE(rewritten(seen)) << describe(seen);

    const ObservedEvent* entry = find_at(seen, NetfilterHook::prerouting, HookEdge::entry);
    const ObservedEvent* exit =
        find_at(seen, NetfilterHook::prerouting, HookEdge::exit, entry->packet_id);
    EXPECT_EQ(entry->packet.destination.str(), service);
    EXPECT_EQ(exit->packet.destination.str(), RoutedLab::kServer);
    EXPECT_FALSE(entry->conntrack) << "conntrack runs after the first priority";
    ASSERT_TRUE(exit->conntrack);
    EXPECT_NE(exit->conntrack->status & kIpsDstNat, 0u);
    EXPECT_EQ(exit->conntrack->original.destination.str(), service);
    EXPECT_EQ(exit->conntrack->reply.source.str(), RoutedLab::kServer);
    EXPECT_EQ(exit->conntrack->ctinfo, 2) << "IP_CT_NEW";
}

TEST(TraceNetfilter, ForwardDropIsAnEntryWithoutExitAndANetfilterDrop) {
    PATHWHY_REQUIRE_ROOT();
    RoutedLab lab("nc");
    test::run_in(lab.router, {"iptables", "-A", "FORWARD", "-d", RoutedLab::kServer, "-p", "udp",
                              "--dport", "9", "-j", "DROP"});
    KernelFeatures features;
    PacketTracer tracer(features, {lab.router.name(), {*Ipv4Cidr::parse(RoutedLab::kServer)}});
    require_netfilter_links(tracer);

    test::send_udp(lab.client, RoutedLab::kServer, 9);
    auto dropped = [](const Events& events) {
        for (const auto& e : events)
            if (e.kind == ObservedEvent::Kind::drop) return true;
        return false;
    };
    Events seen = collect_until(tracer, dropped);
    const ObservedEvent* entry = find_at(seen, NetfilterHook::forward, HookEdge::entry);
    ASSERT_NE(entry, nullptr) << describe(seen);
    EXPECT_EQ(entry->packet.protocol, 17);
    EXPECT_EQ(entry->packet.destination_port, 9);
    EXPECT_EQ(find_at(seen, NetfilterHook::forward, HookEdge::exit, entry->packet_id), nullptr)
        << describe(seen);
    EXPECT_EQ(find_at(seen, NetfilterHook::postrouting, HookEdge::entry, entry->packet_id),
              nullptr);

    const ObservedEvent* drop = nullptr;
    for (const auto& e : seen)
        if (e.kind == ObservedEvent::Kind::drop && e.packet_id == entry->packet_id) drop = &e;
    ASSERT_NE(drop, nullptr) << describe(seen);
    EXPECT_EQ(drop->drop_reason_name, "NETFILTER_DROP");
    EXPECT_EQ(drop->netns_inode, test::netns_inode_of(lab.router));
    EXPECT_EQ(drop->packet.destination_port, 9);
    EXPECT_NE(drop->drop_location.find('+'), std::string::npos)
        << "symbolised location, got " << drop->drop_location;
}

}  // namespace
}  // namespace pathwhy
