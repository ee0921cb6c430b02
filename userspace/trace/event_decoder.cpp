#include "trace/event_decoder.h"

#include <cstring>

#include "events.h"

static_assert(sizeof(pw_event_header) == 16, "event header layout is shared with BPF");
static_assert(sizeof(pw_fib_lookup_event) == 64, "fib lookup event layout is shared with BPF");
static_assert(sizeof(pw_flow) == 16 && sizeof(pw_packet) == 40 && sizeof(pw_conntrack) == 48,
              "packet layouts are shared with BPF");
static_assert(sizeof(pw_netfilter_event) == 112, "netfilter event layout is shared with BPF");
static_assert(sizeof(pw_drop_event) == 72, "drop event layout is shared with BPF");
static_assert(sizeof(pw_icmp_event) == 64, "ICMP event layout is shared with BPF");
static_assert(sizeof(pw_neighbour_event) == 32, "neighbour event layout is shared with BPF");

namespace pathwhy {

namespace {

// Samples sit in the ring buffer 8-byte aligned, but copying keeps this independent of that.
template <typename Raw>
std::optional<Raw> as(const void* data, std::size_t size) {
    if (size != sizeof(Raw)) return std::nullopt;
    Raw raw;
    std::memcpy(&raw, data, sizeof raw);
    return raw;
}

FlowTuple flow_of(const pw_flow& raw) {
    FlowTuple flow;
    flow.source = Ipv4Address::from_network_order(raw.saddr);
    flow.destination = Ipv4Address::from_network_order(raw.daddr);
    flow.protocol = raw.protocol;
    flow.source_port = raw.sport;
    flow.destination_port = raw.dport;
    return flow;
}

ObservedEvent with_header(ObservedEvent::Kind kind, const pw_event_header& header) {
    ObservedEvent event;
    event.kind = kind;
    event.timestamp_ns = header.timestamp_ns;
    event.netns_inode = header.netns_inode;
    return event;
}

void fill_packet(const pw_packet& raw, ObservedEvent& event) {
    event.packet_id = raw.skb;
    event.packet = flow_of(raw.flow);
    event.in_ifindex = raw.in_ifindex;
    event.out_ifindex = raw.out_ifindex;
    event.mark = raw.mark;
}

ObservedEvent decode(const pw_fib_lookup_event& raw) {
    ObservedEvent event = with_header(ObservedEvent::Kind::route_lookup, raw.header);
    event.packet.source = Ipv4Address::from_network_order(raw.saddr);
    event.packet.destination = Ipv4Address::from_network_order(raw.daddr);
    event.packet.protocol = raw.protocol;
    event.packet.source_port = raw.sport;
    event.packet.destination_port = raw.dport;
    event.in_ifindex = raw.iif;
    event.out_ifindex = raw.oif;
    event.mark = raw.mark;
    event.table = raw.table_id;
    event.lookup_error = raw.error;
    if (raw.gateway) event.gateway = Ipv4Address::from_network_order(raw.gateway);
    event.nexthop_ifindex = raw.nexthop_oif;
    return event;
}

std::optional<ObservedEvent> decode(const pw_netfilter_event& raw) {
    if (raw.hook > static_cast<std::uint8_t>(NetfilterHook::postrouting) || raw.edge > PW_EDGE_EXIT)
        return std::nullopt;
    ObservedEvent event = with_header(ObservedEvent::Kind::netfilter, raw.header);
    fill_packet(raw.packet, event);
    event.hook = static_cast<NetfilterHook>(raw.hook);  // NF_INET_* order
    event.edge = raw.edge == PW_EDGE_ENTRY ? HookEdge::entry : HookEdge::exit;
    event.priority = raw.priority;
    if (raw.conntrack.present) {
        ConntrackView conntrack;
        conntrack.ctinfo = raw.conntrack.ctinfo;
        conntrack.original = flow_of(raw.conntrack.original);
        conntrack.reply = flow_of(raw.conntrack.reply);
        conntrack.status = raw.conntrack.status;
        conntrack.mark = raw.conntrack.mark;
        event.conntrack = conntrack;
    }
    return event;
}

ObservedEvent decode(const pw_drop_event& raw, const EventNames& names) {
    ObservedEvent event = with_header(ObservedEvent::Kind::drop, raw.header);
    fill_packet(raw.packet, event);
    event.drop_reason = raw.reason;
    if (names.drop_reason) event.drop_reason_name = names.drop_reason(raw.reason);
    if (names.kernel_symbol) event.drop_location = names.kernel_symbol(raw.location);
    return event;
}

ObservedEvent decode(const pw_icmp_event& raw) {
    ObservedEvent event = with_header(ObservedEvent::Kind::icmp_error, raw.header);
    fill_packet(raw.packet, event);
    event.icmp_type = raw.type;
    event.icmp_code = raw.code;
    return event;
}

ObservedEvent decode(const pw_neighbour_event& raw) {
    ObservedEvent event = with_header(ObservedEvent::Kind::neighbour, raw.header);
    event.neighbour = Ipv4Address::from_network_order(raw.addr);
    event.out_ifindex = raw.ifindex;
    event.old_state = raw.old_state;
    event.new_state = raw.new_state;
    return event;
}

}  // namespace

std::optional<ObservedEvent> decode_event(const void* data, std::size_t size,
                                          const EventNames& names) {
    auto header = size >= sizeof(pw_event_header)
                      ? as<pw_event_header>(data, sizeof(pw_event_header))
                      : std::nullopt;
    if (!header) return std::nullopt;
    switch (header->kind) {
        case PW_EVENT_FIB_LOOKUP:
            if (auto raw = as<pw_fib_lookup_event>(data, size)) return decode(*raw);
            break;
        case PW_EVENT_NETFILTER:
            if (auto raw = as<pw_netfilter_event>(data, size)) return decode(*raw);
            break;
        case PW_EVENT_DROP:
            if (auto raw = as<pw_drop_event>(data, size)) return decode(*raw, names);
            break;
        case PW_EVENT_ICMP_SEND:
            if (auto raw = as<pw_icmp_event>(data, size)) return decode(*raw);
            break;
        case PW_EVENT_NEIGHBOUR:
            if (auto raw = as<pw_neighbour_event>(data, size)) return decode(*raw);
            break;
    }
    return std::nullopt;
}

}  // namespace pathwhy
