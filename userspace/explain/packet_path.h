// The packet path: observed events put in time order and grouped per packet (by the skb's
// identity), each netfilter hook reduced to a hop with a verdict — entry and exit seen: accepted;
// entry seen, then the skb freed (skb:kfree_skb) before any exit: dropped inside the hook; entry
// seen and nothing after: unfinished, which the explainer judges (netfilter_drop.h) — and the
// address rewrites (NAT) between a hook's entry and exit or between two hooks. Route lookups,
// which have no skb, join the packet whose flow and time they fit; neighbour changes belong to no
// packet. Pure: device names come from the snapshot's links.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/kernel_state.h"
#include "model/observed_event.h"

namespace pathwhy {

// One observed event with what renderers need and the event cannot say itself.
struct ObservedStep {
    ObservedEvent event;
    std::uint64_t offset_ns = 0;  // since the first event
    std::string in_dev;           // names in the diagnosed namespace; "" for none
    std::string out_dev;
    std::string nexthop_dev;  // route lookups: the chosen nexthop's device
    int packet = -1;          // index into ObservedPath::packets; -1 when no packet claims it
};

// unfinished: the entry is the last the tracer saw of the packet, without a drop. A missing event
// proves nothing by itself: the exit's event may have been lost, or not read yet when the tracer
// stopped, or the packet was taken by a rule (NFQUEUE) rather than dropped.
enum class HopVerdict { accepted, dropped, unfinished };

// One netfilter hook a packet went through.
struct Hop {
    NetfilterHook hook = NetfilterHook::prerouting;
    std::string in_dev, out_dev;
    FlowTuple entry;                // the addresses as the hook's first rule saw them
    std::optional<FlowTuple> exit;  // as they left it: different after NAT
    HopVerdict verdict = HopVerdict::accepted;
    // Where the tracer's programs sat; every table registered between them had its say.
    int entry_priority = 0;
    int exit_priority = 0;
    std::optional<ConntrackView> conntrack;  // the entry's (the exit's when the entry had none)
    std::optional<std::size_t> entry_step;   // indexes into ObservedPath::steps
    std::optional<std::size_t> exit_step;
    std::optional<std::size_t> drop_step;  // the kfree_skb that freed it inside the hook
};

// An address or port change the packet underwent.
struct AddressRewrite {
    std::string where;    // "PREROUTING", or "between FORWARD and POSTROUTING"
    std::size_t hop = 0;  // into PacketPath::hops: the hook it happened in, or first showed at
    FlowTuple before;
    FlowTuple after;

    bool destination_changed() const;  // DNAT
    bool source_changed() const;       // SNAT, MASQUERADE
    // "DNAT", "SNAT" or "DNAT+SNAT".
    std::string kind() const;
};

struct PacketPath {
    FlowTuple first_seen;
    std::vector<std::size_t> steps;  // this packet's steps, in time order
    std::vector<Hop> hops;           // in the order the packet met them
    std::vector<AddressRewrite> rewrites;

    // The hook the packet was freed in, or null.
    const Hop* dropped_in() const;
    // The hook the packet was last seen entering, with nothing after, or null.
    const Hop* unfinished_in() const;
};

struct ObservedPath {
    std::vector<ObservedStep> steps;  // every event, in time order
    std::vector<PacketPath> packets;  // in the order they were first seen
};

ObservedPath build_observed_path(const std::vector<ObservedEvent>& events,
                                 const KernelState& kernel);

// A lookup in table local that answered with a route out of a device: no packet's route, but a
// "what type of address is this" question (inet_addr_type: iptables' -m addrtype, which Docker's
// nat rules use, ARP, ICMP). Without policy rules the kernel keeps local and main in one trie,
// so the local table's answer is main's route.
bool is_address_check(const ObservedEvent& event);

// "tcp 172.31.0.1:40312 → 172.31.151.55:443", "icmp 10.0.0.1 → 10.0.0.2 id 7".
std::string describe_flow(const FlowTuple& flow);

}  // namespace pathwhy
