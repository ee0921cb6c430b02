#include "support/observed_events.h"

#include <stdexcept>

namespace pathwhy::test {
namespace {

Ipv4Address address(const std::string& text) {
    auto parsed = Ipv4Address::parse(text);
    if (!parsed) throw std::runtime_error("test: bad address " + text);
    return *parsed;
}

ObservedEvent at(std::uint64_t us, ObservedEvent::Kind kind) {
    ObservedEvent event;
    event.kind = kind;
    event.timestamp_ns = 5'000'000'000 + us * 1000;
    event.netns_inode = 4026532315;
    return event;
}

}  // namespace

FlowTuple tcp(const std::string& src, std::uint16_t sport, const std::string& dst,
              std::uint16_t dport) {
    return {address(src), address(dst), 6, sport, dport};
}

FlowTuple icmp(const std::string& src, const std::string& dst, std::uint16_t id) {
    return {address(src), address(dst), 1, 0, id};
}

ObservedEvent hook(std::uint64_t us, std::uint64_t skb, NetfilterHook hook, HookEdge edge,
                   const FlowTuple& packet, int in, int out, std::optional<std::uint8_t> ctinfo) {
    ObservedEvent event = at(us, ObservedEvent::Kind::netfilter);
    event.packet_id = skb;
    event.packet = packet;
    event.in_ifindex = in;
    event.out_ifindex = out;
    event.hook = hook;
    event.edge = edge;
    event.priority = edge == HookEdge::entry ? kEntryPriority : kExitPriority;
    if (ctinfo) {
        ConntrackView view;
        view.ctinfo = *ctinfo;
        view.original = packet;
        view.reply = {packet.destination, packet.source, packet.protocol, packet.destination_port,
                      packet.source_port};
        event.conntrack = view;
    }
    return event;
}

ObservedEvent lookup(std::uint64_t us, const FlowTuple& flow, std::uint32_t table, int nexthop,
                     int iif, int error) {
    ObservedEvent event = at(us, ObservedEvent::Kind::route_lookup);
    event.packet = flow;
    event.in_ifindex = iif;
    event.table = table;
    event.nexthop_ifindex = error ? 0 : nexthop;
    event.lookup_error = error;
    return event;
}

ObservedEvent drop(std::uint64_t us, std::uint64_t skb, const FlowTuple& packet,
                   const std::string& reason, const std::string& location, int out) {
    ObservedEvent event = at(us, ObservedEvent::Kind::drop);
    event.packet_id = skb;
    event.packet = packet;
    event.out_ifindex = out;
    event.drop_reason_name = reason;
    event.drop_location = location;
    return event;
}

ObservedEvent icmp_error(std::uint64_t us, std::uint64_t skb, const FlowTuple& packet,
                         std::uint8_t type, std::uint8_t code, int out) {
    ObservedEvent event = at(us, ObservedEvent::Kind::icmp_error);
    event.packet_id = skb;
    event.packet = packet;
    event.out_ifindex = out;
    event.icmp_type = type;
    event.icmp_code = code;
    return event;
}

ObservedEvent neighbour(std::uint64_t us, const std::string& addr, int ifindex,
                        std::uint16_t old_state, std::uint16_t new_state) {
    ObservedEvent event = at(us, ObservedEvent::Kind::neighbour);
    event.neighbour = address(addr);
    event.out_ifindex = ifindex;
    event.old_state = old_state;
    event.new_state = new_state;
    return event;
}

KernelViews all_views() {
    KernelViews views;
    for (KernelView view :
         {KernelView::route_lookups, KernelView::netfilter_verdicts, KernelView::nat,
          KernelView::conntrack, KernelView::drops, KernelView::icmp, KernelView::neighbours})
        views.push_back({view, true, "test", "", ""});
    return views;
}

KernelViews views_without(KernelView missing, const std::string& reason) {
    KernelViews views = all_views();
    for (auto& view : views)
        if (view.view == missing) {
            view.active = false;
            view.reason = reason;
        }
    return views;
}

}  // namespace pathwhy::test
