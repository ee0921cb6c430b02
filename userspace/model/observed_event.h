// What the kernel was seen doing to packets, one event per observation point: a route lookup, a
// packet entering or leaving a netfilter hook, a drop, an ICMP error sent, a neighbour changing
// state. Decoded by trace/ from the BPF ring buffer, stored by record/, read by the explainer.
// One flat struct (fields unused by a kind stay zero) keeps decoding, recording and tests simple.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/ipv4.h"

namespace pathwhy {

struct FlowTuple {
    Ipv4Address source;
    Ipv4Address destination;
    std::uint8_t protocol = 0;  // IPPROTO_*
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;  // for ICMP echo: the id

    bool operator==(const FlowTuple&) const = default;
};

// In the kernel's order (NF_INET_PRE_ROUTING = 0 .. NF_INET_POST_ROUTING = 4): trace/ converts
// by value.
enum class NetfilterHook { prerouting, local_in, forward, local_out, postrouting };

// The BPF programs sit at the first and the last priority of each hook: a packet seen at `entry`
// but not at `exit` was dropped (or stolen) by a rule in between.
enum class HookEdge { entry, exit };

// skb->_nfct at the moment of observation.
struct ConntrackView {
    std::uint8_t ctinfo = 0;  // IP_CT_NEW, IP_CT_ESTABLISHED, IP_CT_RELATED, +IP_CT_IS_REPLY
    FlowTuple original;
    FlowTuple reply;
    std::uint32_t status = 0;  // IPS_* bits: SRC_NAT/DST_NAT, SEEN_REPLY, ASSURED, CONFIRMED ...
    std::uint32_t mark = 0;

    bool operator==(const ConntrackView&) const = default;
};

struct ObservedEvent {
    enum class Kind { route_lookup, netfilter, drop, icmp_error, neighbour };

    Kind kind = Kind::route_lookup;
    std::uint64_t timestamp_ns = 0;  // CLOCK_MONOTONIC
    std::uint32_t netns_inode = 0;
    std::uint64_t packet_id = 0;  // the skb's identity, to follow one packet across hooks; 0 if none
    FlowTuple packet;             // as seen at this point: after DNAT at later hooks
    // route_lookup: flowi4_iif and the oif the caller asked for (0: any).
    // netfilter: the hook's in and out devices (0 where the hook has none).
    // drop, icmp_error: the device the packet arrived on (0: sent from this host) and the one
    // it was on when the event fired. neighbour: out_ifindex is the neighbour's device.
    int in_ifindex = 0;
    int out_ifindex = 0;
    std::uint32_t mark = 0;

    // route_lookup
    std::uint32_t table = 0;
    int lookup_error = 0;  // negative errno from the table, 0 when it answered
    std::optional<Ipv4Address> gateway;
    int nexthop_ifindex = 0;

    // netfilter
    NetfilterHook hook = NetfilterHook::prerouting;
    HookEdge edge = HookEdge::entry;
    int priority = 0;
    std::optional<ConntrackView> conntrack;

    // drop (skb:kfree_skb)
    std::uint32_t drop_reason = 0;
    std::string drop_reason_name;  // "NETFILTER_DROP", "NEIGH_FAILED", ... as the kernel names it
    std::string drop_location;     // symbol+offset of the freeing function

    // icmp_error (icmp:icmp_send)
    std::uint8_t icmp_type = 0;
    std::uint8_t icmp_code = 0;

    // neighbour (neigh:neigh_event_send_done, neigh_timer_handler, neigh_update_done)
    Ipv4Address neighbour;
    std::uint16_t old_state = 0;  // NUD_*: the last state seen; NUD_NONE when first seen
    std::uint16_t new_state = 0;
};

// iptables chain names, which is what users read: PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING.
std::string netfilter_hook_name(NetfilterHook hook);

}  // namespace pathwhy
