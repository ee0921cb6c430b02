// Netfilter hooks on the real kernel, through each mechanism the tracer may take — BPF netfilter
// links made inside a lab router's namespace, fentry/fexit and kprobe/kretprobe on
// nf_hook_slow, the latter two forced with PATHWHY_TEST_REFUSE: entry and exit at each of the
// five IPv4 hooks, a DNAT rule's rewrite visible between PREROUTING's entry and exit (with the
// conntrack entry's NAT bit), and a FORWARD DROP rule seen as an entry without an exit plus a
// kfree_skb NETFILTER_DROP of the same skb. A mechanism this kernel does not give is skipped,
// naming the probe that said so. The iptables rules live in the lab namespace only.
#include <gtest/gtest.h>

#include <memory>
#include <optional>

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

bool view_active(const PacketTracer& tracer, KernelView view) {
    for (const auto& status : tracer.views())
        if (status.view == view) return status.active;
    return false;
}

// Each test runs once per mechanism, the mechanisms preferred to it refused.
class TraceNetfilter : public test::ForcedMechanism {
  protected:
    // Attached with the mechanism under test, or the test fails: a tracer that fell back
    // further would make the test prove the wrong thing.
    std::unique_ptr<PacketTracer> trace(const lab::LabNamespace& ns, const std::string& watched) {
        auto tracer = std::make_unique<PacketTracer>(
            features(), PacketTraceFilter{ns.name(), {*Ipv4Cidr::parse(watched)}});
        EXPECT_TRUE(test::attached_with(*tracer, GetParam().attach))
            << "not attached with " << attach_name(GetParam().attach);
        return tracer;
    }
};

TEST_P(TraceNetfilter, SeesEntryAndExitAtEveryHook) {
    RoutedLab lab("na");
    // nf_hook_slow runs only at hooks with something registered (the fallbacks' blind spot,
    // named in their views): give every hook a rule. Links see rule-less hooks as they are.
    if (whole_hooks()) test::make_every_hook_run(lab.router);
    auto tracer_owner = trace(lab.router, RoutedLab::kServer);
    PacketTracer& tracer = *tracer_owner;

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
        // Links sit at the first and last priority; the fallbacks see the whole hook.
        if (whole_hooks()) {
            EXPECT_EQ(e.priority, e.edge == HookEdge::entry ? PW_WHOLE_HOOK_ENTRY_PRIORITY
                                                            : PW_WHOLE_HOOK_EXIT_PRIORITY);
        } else {
            EXPECT_EQ(e.priority,
                      e.edge == HookEdge::entry ? PW_HOOK_ENTRY_PRIORITY : PW_HOOK_EXIT_PRIORITY);
        }
        EXPECT_EQ(e.packet.protocol, 1);  // ICMP
        // Every exit follows an entry of the same packet at the same hook.
        if (e.edge == HookEdge::exit) {
            EXPECT_NE(find_at(seen, e.hook, HookEdge::entry, e.packet_id), nullptr);
        }
    }
    const ObservedEvent* forwarded = find_at(seen, NetfilterHook::forward, HookEdge::entry);
    ASSERT_NE(forwarded, nullptr);
    EXPECT_EQ(forwarded->packet.source.str(), RoutedLab::kClient);
    EXPECT_EQ(forwarded->in_ifindex, r0);
    EXPECT_EQ(forwarded->out_ifindex, r1);
    EXPECT_NE(forwarded->packet.destination_port, 0) << "the ICMP echo id";
}

TEST_P(TraceNetfilter, DnatShowsBetweenPreroutingEntryAndExit) {
    RoutedLab lab("nb");
    const std::string service = "10.71.2.100";  // exists only as the DNAT rule's match
    test::run_in(lab.router, {"iptables", "-t", "nat", "-A", "PREROUTING", "-d", service, "-j",
                              "DNAT", "--to-destination", RoutedLab::kServer});
    auto tracer_owner = trace(lab.router, "10.71.2.0/24");
    PacketTracer& tracer = *tracer_owner;

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
    EXPECT_FALSE(entry->conntrack) << "conntrack runs after the first priority (and inside "
                                      "nf_hook_slow, after its entry)";
    ASSERT_TRUE(exit->conntrack);
    EXPECT_NE(exit->conntrack->status & kIpsDstNat, 0u);
    EXPECT_EQ(exit->conntrack->original.destination.str(), service);
    EXPECT_EQ(exit->conntrack->reply.source.str(), RoutedLab::kServer);
    EXPECT_EQ(exit->conntrack->ctinfo, 2) << "IP_CT_NEW";
}

TEST_P(TraceNetfilter, ForwardDropIsAnEntryWithoutExitAndANetfilterDrop) {
    RoutedLab lab("nc");
    test::run_in(lab.router, {"iptables", "-A", "FORWARD", "-d", RoutedLab::kServer, "-p", "udp",
                              "--dport", "9", "-j", "DROP"});
    auto tracer_owner = trace(lab.router, RoutedLab::kServer);
    PacketTracer& tracer = *tracer_owner;
    // Without drop reasons (Linux 5.17+) the drops view is missing: the hook still tells.
    const bool drops_seen = view_active(tracer, KernelView::drops);

    test::send_udp(lab.client, RoutedLab::kServer, 9);
    auto dropped = [&](const Events& events) {
        for (const auto& e : events)
            if (drops_seen
                    ? e.kind == ObservedEvent::Kind::drop
                    : e.kind == ObservedEvent::Kind::netfilter && e.hook == NetfilterHook::forward)
                return true;
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
    if (!drops_seen) return;

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

INSTANTIATE_TEST_SUITE_P(Mechanisms, TraceNetfilter,
                         ::testing::ValuesIn(test::netfilter_mechanisms()), test::mechanism_name);

}  // namespace
}  // namespace pathwhy
