// Decoding ring-buffer samples into ObservedEvents, from the very structs the BPF programs fill
// (bpf/events.h): each kind, the conntrack entry present or not, names asked of the caller, and
// samples of the wrong size or kind rejected rather than reinterpreted.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include "events.h"
#include "trace/event_decoder.h"

namespace pathwhy {
namespace {

std::uint32_t be(const char* address) {
    in_addr parsed{};
    inet_pton(AF_INET, address, &parsed);
    return parsed.s_addr;
}

pw_flow flow(const char* from, const char* to, std::uint16_t sport, std::uint16_t dport,
             std::uint8_t protocol) {
    pw_flow f{};
    f.saddr = be(from);
    f.daddr = be(to);
    f.sport = sport;
    f.dport = dport;
    f.protocol = protocol;
    return f;
}

EventNames names() {
    EventNames n;
    n.drop_reason = [](std::uint32_t reason) { return reason == 12 ? "NETFILTER_DROP" : "?"; };
    n.kernel_symbol = [](std::uint64_t address) {
        return address == 0xffffffff81000010 ? "nf_hook_slow+0x10" : "?";
    };
    return n;
}

template <typename Raw>
std::optional<ObservedEvent> decode(const Raw& raw) {
    return decode_event(&raw, sizeof raw, names());
}

TEST(TraceEventDecoder, RouteLookup) {
    pw_fib_lookup_event raw{};
    raw.header = {123, PW_EVENT_FIB_LOOKUP, 4026531840u};
    raw.table_id = 254;
    raw.error = 0;
    raw.saddr = be("172.18.2.172");
    raw.daddr = be("172.31.151.55");
    raw.gateway = 0;
    raw.iif = 1;
    raw.nexthop_oif = 9;
    raw.protocol = 6;
    raw.dport = 443;
    auto event = decode(raw);
    ASSERT_TRUE(event);
    EXPECT_EQ(event->kind, ObservedEvent::Kind::route_lookup);
    EXPECT_EQ(event->timestamp_ns, 123u);
    EXPECT_EQ(event->netns_inode, 4026531840u);
    EXPECT_EQ(event->table, 254u);
    EXPECT_EQ(event->packet.source.str(), "172.18.2.172");
    EXPECT_EQ(event->packet.destination.str(), "172.31.151.55");
    EXPECT_EQ(event->packet.destination_port, 443);
    EXPECT_FALSE(event->gateway) << "on-link: no gateway";
    EXPECT_EQ(event->nexthop_ifindex, 9);
    EXPECT_EQ(event->in_ifindex, 1);
}

TEST(TraceEventDecoder, NetfilterExitWithDnatConntrack) {
    pw_netfilter_event raw{};
    raw.header = {1, PW_EVENT_NETFILTER, 77};
    raw.packet.skb = 0xffff888012345600;
    raw.packet.flow = flow("10.0.0.1", "172.17.0.2", 40000, 80, 6);
    raw.packet.in_ifindex = 2;
    raw.conntrack.present = 1;
    raw.conntrack.ctinfo = 2;
    raw.conntrack.original = flow("10.0.0.1", "10.0.0.5", 40000, 8080, 6);
    raw.conntrack.reply = flow("172.17.0.2", "10.0.0.1", 80, 40000, 6);
    raw.conntrack.status = 0x1a8;
    raw.priority = PW_HOOK_EXIT_PRIORITY;
    raw.hook = 0;
    raw.edge = PW_EDGE_EXIT;
    auto event = decode(raw);
    ASSERT_TRUE(event);
    EXPECT_EQ(event->kind, ObservedEvent::Kind::netfilter);
    EXPECT_EQ(event->hook, NetfilterHook::prerouting);
    EXPECT_EQ(event->edge, HookEdge::exit);
    EXPECT_EQ(event->priority, 2147483646);
    EXPECT_EQ(event->packet_id, 0xffff888012345600u);
    EXPECT_EQ(event->packet.destination.str(), "172.17.0.2");
    ASSERT_TRUE(event->conntrack);
    EXPECT_EQ(event->conntrack->original.destination.str(), "10.0.0.5");
    EXPECT_EQ(event->conntrack->original.destination_port, 8080);
    EXPECT_EQ(event->conntrack->reply.source.str(), "172.17.0.2");
    EXPECT_EQ(event->conntrack->status, 0x1a8u);
    EXPECT_EQ(event->conntrack->ctinfo, 2);
}

TEST(TraceEventDecoder, NetfilterEntryWithoutConntrackAndEveryHook) {
    pw_netfilter_event raw{};
    raw.header = {1, PW_EVENT_NETFILTER, 77};
    raw.edge = PW_EDGE_ENTRY;
    const NetfilterHook hooks[] = {NetfilterHook::prerouting, NetfilterHook::local_in,
                                   NetfilterHook::forward, NetfilterHook::local_out,
                                   NetfilterHook::postrouting};
    for (std::uint8_t hook = 0; hook < 5; ++hook) {
        raw.hook = hook;
        auto event = decode(raw);
        ASSERT_TRUE(event);
        EXPECT_EQ(event->hook, hooks[hook]);
        EXPECT_EQ(event->edge, HookEdge::entry);
        EXPECT_FALSE(event->conntrack);
    }
    raw.hook = 5;  // NF_INET_INGRESS is not an IPv4 hook the tracer attaches to
    EXPECT_FALSE(decode(raw));
}

TEST(TraceEventDecoder, DropGetsItsNames) {
    pw_drop_event raw{};
    raw.header = {1, PW_EVENT_DROP, 77};
    raw.packet.flow = flow("10.71.1.2", "10.71.2.2", 5000, 9, 17);
    raw.reason = 12;
    raw.location = 0xffffffff81000010;
    auto event = decode(raw);
    ASSERT_TRUE(event);
    EXPECT_EQ(event->kind, ObservedEvent::Kind::drop);
    EXPECT_EQ(event->drop_reason, 12u);
    EXPECT_EQ(event->drop_reason_name, "NETFILTER_DROP");
    EXPECT_EQ(event->drop_location, "nf_hook_slow+0x10");
    EXPECT_EQ(event->packet.destination_port, 9);
}

TEST(TraceEventDecoder, IcmpErrorAndNeighbour) {
    pw_icmp_event icmp{};
    icmp.header = {1, PW_EVENT_ICMP_SEND, 77};
    icmp.packet.flow = flow("172.31.0.1", "172.31.151.55", 40000, 443, 6);
    icmp.type = 3;
    icmp.code = 1;
    auto error = decode(icmp);
    ASSERT_TRUE(error);
    EXPECT_EQ(error->kind, ObservedEvent::Kind::icmp_error);
    EXPECT_EQ(error->icmp_type, 3);
    EXPECT_EQ(error->icmp_code, 1);
    EXPECT_EQ(error->packet.destination.str(), "172.31.151.55");

    pw_neighbour_event neighbour{};
    neighbour.header = {2, PW_EVENT_NEIGHBOUR, 77};
    neighbour.addr = be("172.31.151.55");
    neighbour.ifindex = 12;
    neighbour.old_state = 0x01;
    neighbour.new_state = 0x20;
    auto changed = decode(neighbour);
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->kind, ObservedEvent::Kind::neighbour);
    EXPECT_EQ(changed->neighbour.str(), "172.31.151.55");
    EXPECT_EQ(changed->out_ifindex, 12);
    EXPECT_EQ(changed->old_state, 0x01);
    EXPECT_EQ(changed->new_state, 0x20);
}

TEST(TraceEventDecoder, RejectsWrongSizesAndKinds) {
    pw_drop_event drop{};
    drop.header = {1, PW_EVENT_DROP, 77};
    EXPECT_FALSE(decode_event(&drop, sizeof drop - 8, names()));  // an older build's struct
    pw_icmp_event icmp{};
    icmp.header = {1, PW_EVENT_DROP, 77};  // a drop kind in an ICMP-sized sample
    EXPECT_FALSE(decode_event(&icmp, sizeof icmp, names()));
    pw_event_header unknown{1, 99, 77};
    EXPECT_FALSE(decode_event(&unknown, sizeof unknown, names()));
    EXPECT_FALSE(decode_event(&unknown, 4, names()));
}

}  // namespace
}  // namespace pathwhy
