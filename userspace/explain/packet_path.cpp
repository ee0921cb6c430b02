// Grouping is by packet_id, with the skb address's reuse in mind: the kernel hands a freed skb's
// memory to the next packet, so a group ends when its packet was freed as dropped, when a hook
// edge repeats, when the hooks go backwards (PREROUTING after POSTROUTING) or after a long pause.
#include "explain/packet_path.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "explain/event_names.h"
#include "model/ip_protocol.h"

namespace pathwhy {
namespace {

using Kind = ObservedEvent::Kind;

// A pause after which the same skb address is surely another packet. Generous: a packet can wait
// in a neighbour's queue for seconds (3 ARP probes, 1 s apart) before it is sent or dropped.
constexpr std::uint64_t kReuseGapNs = 10'000'000'000;
// How long before a packet's first hook its route lookup may come (connect() looks the route
// up, then builds and sends the SYN).
constexpr std::uint64_t kLookupLeadNs = 200'000'000;

// Hooks in the order a packet meets them: PREROUTING or OUTPUT, then INPUT or FORWARD, then
// POSTROUTING. OUTPUT is first for a locally made packet.
int hook_rank(NetfilterHook hook) {
    switch (hook) {
        case NetfilterHook::prerouting:
        case NetfilterHook::local_out:
            return 0;
        case NetfilterHook::local_in:
        case NetfilterHook::forward:
            return 1;
        case NetfilterHook::postrouting:
            return 2;
    }
    return 0;
}

std::string device(const KernelState& kernel, int ifindex) {
    return ifindex > 0 ? kernel.link_name(ifindex) : std::string{};
}

struct OpenGroup {
    std::size_t packet = 0;
    bool closed = false;  // freed as dropped: the next event with this id is another packet
    std::uint64_t last_ns = 0;
    FlowTuple last_flow;  // as last seen: NAT happens inside hooks, so later events match it
    int last_rank = -1;
    std::vector<std::pair<NetfilterHook, HookEdge>> edges;
};

// Whether the packet's latest netfilter event is a hook's entry: it is inside that hook now.
bool inside_hook(const OpenGroup& group) {
    return !group.edges.empty() && group.edges.back().second == HookEdge::entry;
}

bool continues(const OpenGroup& group, const ObservedEvent& event) {
    if (group.closed || event.timestamp_ns - group.last_ns > kReuseGapNs) return false;
    if (event.packet.protocol != group.last_flow.protocol) return false;
    // Freed inside a hook: the rules that dropped it may have rewritten it first (NAT in OUTPUT
    // before filter), so the addresses need not match the entry's. The free comes from the same
    // call as the entry (nf_hook_slow), so the skb cannot have been reused in between.
    if (event.kind == Kind::drop && inside_hook(group)) return true;
    // A drop or an ICMP error is about the packet as it is now.
    if (event.kind != Kind::netfilter) return event.packet == group.last_flow;
    if (hook_rank(event.hook) < group.last_rank) return false;
    return std::find(group.edges.begin(), group.edges.end(), std::pair{event.hook, event.edge}) ==
           group.edges.end();
}

// The packet's addresses at a moment: its latest netfilter view before `ns`, else its first.
const FlowTuple& flow_at(const ObservedPath& path, const PacketPath& packet, std::uint64_t ns) {
    const FlowTuple* flow = &packet.first_seen;
    for (std::size_t index : packet.steps) {
        const ObservedStep& step = path.steps[index];
        if (step.event.timestamp_ns > ns) break;
        if (step.event.kind == Kind::netfilter) flow = &step.event.packet;
    }
    return *flow;
}

bool lookup_fits(const ObservedEvent& lookup, const FlowTuple& flow) {
    const FlowTuple& wanted = lookup.packet;
    if (wanted.destination != flow.destination) return false;
    if (wanted.source.value && wanted.source != flow.source) return false;
    if (wanted.protocol && flow.protocol && wanted.protocol != flow.protocol) return false;
    // Only TCP, UDP and SCTP lookups carry ports; for ICMP the field holds type and code.
    const bool ports = flow.protocol == 6 || flow.protocol == 17 || flow.protocol == 132;
    if (!ports) return true;
    if (wanted.destination_port && wanted.destination_port != flow.destination_port) return false;
    return !(wanted.source_port && wanted.source_port != flow.source_port);
}

// When a packet was seen: the timestamps of its skb events, in order.
using Sightings = std::vector<std::uint64_t>;

// A route lookup joins the packet whose flow it asked about, within the packet's lifetime (or
// shortly before it starts: connect() looks up, then sends), and the packet seen nearest to it
// wins — a retransmission's lookup belongs to the retransmission, not to the first attempt.
std::optional<std::size_t> packet_for_lookup(const ObservedPath& path,
                                             const std::vector<Sightings>& sightings,
                                             const ObservedEvent& lookup) {
    std::optional<std::size_t> best;
    std::uint64_t best_distance = UINT64_MAX;
    const std::uint64_t at = lookup.timestamp_ns;
    for (std::size_t p = 0; p < path.packets.size(); ++p) {
        const Sightings& seen = sightings[p];
        if (at + kLookupLeadNs < seen.front() || at > seen.back()) continue;
        if (!lookup_fits(lookup, flow_at(path, path.packets[p], at))) continue;
        for (std::uint64_t t : seen) {
            const std::uint64_t distance = t > at ? t - at : at - t;
            if (distance < best_distance) {
                best = p;
                best_distance = distance;
            }
        }
    }
    return best;
}

void add_rewrite(PacketPath& packet, std::string where, std::size_t hop, const FlowTuple& before,
                 const FlowTuple& after) {
    if (before != after) packet.rewrites.push_back({std::move(where), hop, before, after});
}

// Folds the packet's netfilter steps into hops and verdicts, and finds its rewrites.
void build_hops(const ObservedPath& path, PacketPath& packet) {
    std::map<NetfilterHook, std::size_t> open;  // hook -> index into hops, entry seen, exit not
    std::optional<std::size_t> latest_open;     // the hook the packet is inside now
    for (std::size_t index : packet.steps) {
        const ObservedStep& step = path.steps[index];
        const ObservedEvent& event = step.event;
        if (event.kind == Kind::drop && latest_open) {
            Hop& hop = packet.hops[*latest_open];
            if (!hop.drop_step) hop.drop_step = index;
            continue;
        }
        if (event.kind != Kind::netfilter) continue;
        latest_open.reset();
        if (event.edge == HookEdge::exit && open.count(event.hook)) {
            Hop& hop = packet.hops[open[event.hook]];
            hop.exit = event.packet;
            hop.exit_priority = event.priority;
            hop.exit_step = index;
            if (!hop.conntrack) hop.conntrack = event.conntrack;
            open.erase(event.hook);
            continue;
        }
        Hop hop;
        hop.hook = event.hook;
        hop.in_dev = step.in_dev;
        hop.out_dev = step.out_dev;
        hop.entry = event.packet;
        hop.conntrack = event.conntrack;
        if (event.edge == HookEdge::entry) {
            hop.entry_priority = event.priority;
            hop.entry_step = index;
            open[event.hook] = packet.hops.size();
            latest_open = packet.hops.size();
        } else {  // the exit without its entry (an event lost): it got through
            hop.exit = event.packet;
            hop.exit_priority = event.priority;
            hop.exit_step = index;
        }
        packet.hops.push_back(std::move(hop));
    }
    // An entry without its exit is the packet's end inside the hook — unless the packet turned up
    // at a later hook, in which case only the exit's event went missing. Freed there: dropped;
    // not freed as far as the tracer saw: unfinished, for the explainer to judge.
    for (std::size_t h = 0; h < packet.hops.size(); ++h) {
        Hop& hop = packet.hops[h];
        if (hop.exit || h + 1 != packet.hops.size()) continue;
        hop.verdict = hop.drop_step ? HopVerdict::dropped : HopVerdict::unfinished;
    }
    for (std::size_t h = 0; h < packet.hops.size(); ++h) {
        const Hop& hop = packet.hops[h];
        if (hop.exit) add_rewrite(packet, netfilter_hook_name(hop.hook), h, hop.entry, *hop.exit);
        if (h + 1 < packet.hops.size())
            add_rewrite(packet,
                        fmt::format("between {} and {}", netfilter_hook_name(hop.hook),
                                    netfilter_hook_name(packet.hops[h + 1].hook)),
                        h + 1, hop.exit.value_or(hop.entry), packet.hops[h + 1].entry);
    }
}

}  // namespace

bool is_address_check(const ObservedEvent& event) {
    return event.kind == Kind::route_lookup && event.table == kTableLocal &&
           event.lookup_error == 0 && event.nexthop_ifindex > 1;
}

bool AddressRewrite::destination_changed() const {
    return before.destination != after.destination ||
           before.destination_port != after.destination_port;
}

bool AddressRewrite::source_changed() const {
    return before.source != after.source || before.source_port != after.source_port;
}

std::string AddressRewrite::kind() const {
    if (destination_changed() && source_changed()) return "DNAT+SNAT";
    return destination_changed() ? "DNAT" : "SNAT";
}

const Hop* PacketPath::dropped_in() const {
    for (const auto& hop : hops)
        if (hop.verdict == HopVerdict::dropped) return &hop;
    return nullptr;
}

const Hop* PacketPath::unfinished_in() const {
    for (const auto& hop : hops)
        if (hop.verdict == HopVerdict::unfinished) return &hop;
    return nullptr;
}

std::string describe_flow(const FlowTuple& flow) {
    const std::string protocol = ip_protocol_name(flow.protocol);
    if (flow.protocol == 6 || flow.protocol == 17 || flow.protocol == 132)
        return fmt::format("{} {}:{} → {}:{}", protocol, flow.source.str(), flow.source_port,
                           flow.destination.str(), flow.destination_port);
    if (flow.protocol == 1 && flow.destination_port)
        return fmt::format("icmp {} → {} id {}", flow.source.str(), flow.destination.str(),
                           flow.destination_port);
    return fmt::format("{} {} → {}", protocol, flow.source.str(), flow.destination.str());
}

ObservedPath build_observed_path(const std::vector<ObservedEvent>& events,
                                 const KernelState& kernel) {
    ObservedPath path;
    std::vector<ObservedEvent> ordered = events;
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const auto& a, const auto& b) { return a.timestamp_ns < b.timestamp_ns; });
    const std::uint64_t start = ordered.empty() ? 0 : ordered.front().timestamp_ns;

    std::map<std::uint64_t, OpenGroup> by_skb;
    for (auto& event : ordered) {
        ObservedStep step;
        step.offset_ns = event.timestamp_ns - start;
        step.in_dev = device(kernel, event.in_ifindex);
        step.out_dev = device(kernel, event.out_ifindex);
        step.nexthop_dev = device(kernel, event.nexthop_ifindex);
        step.event = std::move(event);
        const ObservedEvent& e = step.event;
        const std::size_t index = path.steps.size();

        const bool has_packet =
            e.packet_id != 0 && e.kind != Kind::route_lookup && e.kind != Kind::neighbour;
        if (has_packet) {
            auto found = by_skb.find(e.packet_id);
            if (found == by_skb.end() || !continues(found->second, e)) {
                PacketPath packet;
                packet.first_seen = e.packet;
                path.packets.push_back(std::move(packet));
                OpenGroup group;
                group.packet = path.packets.size() - 1;
                found = by_skb.insert_or_assign(e.packet_id, group).first;
            }
            OpenGroup& group = found->second;
            group.last_ns = e.timestamp_ns;
            group.last_flow = e.packet;
            if (e.kind == Kind::drop) group.closed = true;
            if (e.kind == Kind::netfilter) {
                group.last_rank = hook_rank(e.hook);
                group.edges.emplace_back(e.hook, e.edge);
            }
            step.packet = static_cast<int>(group.packet);
            path.packets[group.packet].steps.push_back(index);
        }
        path.steps.push_back(std::move(step));
    }

    // Route lookups join packets once every packet is known: a connect()'s lookup comes before
    // its SYN's first hook.
    std::vector<Sightings> sightings;
    for (const auto& packet : path.packets) {
        Sightings& seen = sightings.emplace_back();
        for (std::size_t index : packet.steps) seen.push_back(path.steps[index].event.timestamp_ns);
    }
    for (std::size_t index = 0; index < path.steps.size(); ++index) {
        ObservedStep& step = path.steps[index];
        if (step.event.kind != Kind::route_lookup) continue;
        if (auto packet = packet_for_lookup(path, sightings, step.event)) {
            step.packet = static_cast<int>(*packet);
            auto& steps = path.packets[*packet].steps;
            steps.insert(std::upper_bound(steps.begin(), steps.end(), index), index);
        }
    }
    for (auto& packet : path.packets) build_hops(path, packet);
    return path;
}

}  // namespace pathwhy
