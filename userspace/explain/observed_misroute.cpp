#include "explain/observed_misroute.h"

#include <fmt/format.h>

#include <algorithm>

#include "explain/event_names.h"
#include "explain/route_into_bridge.h"
#include "explain/route_resolver.h"
#include "model/ip_protocol.h"

namespace pathwhy {
namespace {

using Kind = ObservedEvent::Kind;

constexpr std::uint8_t kTcp = 6;
constexpr std::uint8_t kCtNew = 2;

bool uses_device(const Route& route, int ifindex) {
    if (route.oif == ifindex) return true;
    return std::any_of(route.multipath.begin(), route.multipath.end(),
                       [&](const Nexthop& hop) { return hop.ifindex == ifindex; });
}

// A Docker bridge the destination does not live on, or nullopt.
std::optional<BridgeOwner> foreign_bridge(const Snapshot& snapshot, int ifindex,
                                          Ipv4Address destination) {
    if (ifindex <= 0) return std::nullopt;
    auto owner = docker_bridge_owner(snapshot, ifindex);
    if (!owner ||
        (owner->network && address_lives_on_network(snapshot, *owner->network, destination)))
        return std::nullopt;
    return owner;
}

// The destination's first packet that reached this host: a hook's entry with it as source.
const ObservedStep* first_inbound(const ObservedPath& path, Ipv4Address destination) {
    for (const auto& step : path.steps) {
        const ObservedEvent& e = step.event;
        if (e.kind == Kind::netfilter && e.packet.source == destination &&
            (e.hook == NetfilterHook::prerouting || e.hook == NetfilterHook::local_in))
            return &step;
    }
    return nullptr;
}

// "SYN" for a TCP packet that opened a connection, else "tcp packet", "udp packet"... Conntrack
// attaches its entry after the tracer's first PREROUTING program: any of the packet's hops says.
std::string packet_word(const ObservedPath& path, const ObservedStep& step) {
    bool opens = false;
    if (step.packet >= 0)
        for (const auto& hop : path.packets[static_cast<std::size_t>(step.packet)].hops)
            if (hop.conntrack) opens = opens || hop.conntrack->ctinfo == kCtNew;
    const std::uint8_t protocol = step.event.packet.protocol;
    return protocol == kTcp && opens ? "SYN" : ip_protocol_name(protocol) + " packet";
}

std::string reply_noun(const ObservedPath& path, const ObservedStep& inbound) {
    return packet_word(path, inbound) == "SYN" ? "the SYN-ACK" : "the reply";
}

std::string lookup_text(const ObservedStep& step) {
    const ObservedEvent& e = step.event;
    std::string text = fmt::format("{} (table {}) chose {}", describe_flow(e.packet),
                                   table_name(e.table), step.nexthop_dev);
    if (e.gateway) text += " via " + e.gateway->str();
    return text;
}

// The route the lookup for `flow` takes if it leads into the bridge, else the most specific
// route into the bridge that contains the destination: the route to blame.
const Route* route_into(const KernelState& kernel, const RouteFlow& flow, int bridge) {
    const RouteResolution taken = resolve_route(kernel, flow);
    if (taken.route_index && uses_device(kernel.routes[*taken.route_index], bridge))
        return &kernel.routes[*taken.route_index];
    for (const Route* route : routes_containing(kernel, flow.destination))
        if (uses_device(*route, bridge)) return route;
    return nullptr;
}

Finding finding_from_observation(const Snapshot& snapshot, Ipv4Address destination,
                                 const ObservedMisroute& misroute) {
    RouteFlow flow;
    flow.destination = destination;
    flow.source = misroute.reply_source;
    if (const Route* winner = route_into(snapshot.kernel, flow, misroute.bridge_ifindex)) {
        MisrouteEvidence evidence{destination, winner, nullptr, misroute.owner};
        const RouteResolution displaced = resolve_route_without(
            snapshot.kernel, flow,
            [&](const Route& route) { return uses_device(route, misroute.bridge_ifindex); });
        if (!displaced.error && displaced.route_index)
            evidence.displaced = &snapshot.kernel.routes[*displaced.route_index];
        return route_into_bridge_finding(snapshot, evidence);
    }
    // The route changed since the lookup (or is not in the snapshot): say what was seen.
    Finding finding;
    finding.kind = "route-into-docker-bridge";
    finding.severity = Severity::critical;
    finding.summary =
        fmt::format("{} is routed into Docker bridge {}", destination.str(), misroute.owner.bridge);
    if (misroute.owner.network)
        finding.docker_network = network_ref(snapshot, *misroute.owner.network);
    return finding;
}

}  // namespace

std::optional<BridgeOwner> misrouted_lookup(const Snapshot& snapshot, const ObservedEvent& event) {
    if (event.kind != Kind::route_lookup || event.lookup_error != 0 || is_address_check(event))
        return std::nullopt;
    return foreign_bridge(snapshot, event.nexthop_ifindex, event.packet.destination);
}

std::optional<ObservedMisroute> find_observed_misroute(const Snapshot& snapshot,
                                                       Ipv4Address destination,
                                                       const ObservedPath& path) {
    const ObservedStep* inbound = first_inbound(path, destination);
    const ObservedStep* lookup = nullptr;  // the first lookup into a foreign bridge
    const ObservedStep* egress = nullptr;  // the first packet seen leaving into one
    std::optional<BridgeOwner> owner;
    int bridge = 0;
    for (const auto& step : path.steps) {
        const ObservedEvent& e = step.event;
        if (e.packet.destination != destination) continue;
        // The first lookup into the bridge, or a later one that knows the source address
        // (connect() asks first without one).
        const bool better =
            !lookup || (lookup->event.packet.source.value == 0 && e.packet.source.value != 0);
        if (better) {
            if (auto found = misrouted_lookup(snapshot, e)) {
                lookup = &step;
                if (!owner) {
                    owner = found;
                    bridge = e.nexthop_ifindex;
                }
            }
        }
        if (!egress && e.kind == Kind::netfilter && e.hook == NetfilterHook::postrouting) {
            if (auto found = foreign_bridge(snapshot, e.out_ifindex, destination)) {
                egress = &step;
                if (!owner) {
                    owner = found;
                    bridge = e.out_ifindex;
                }
            }
        }
    }
    if (!owner) return std::nullopt;

    ObservedMisroute misroute;
    misroute.owner = *owner;
    misroute.bridge_ifindex = bridge;
    const std::uint64_t misrouted_at = (lookup ? lookup : egress)->event.timestamp_ns;
    const bool reply = inbound && inbound->event.timestamp_ns <= misrouted_at;
    misroute.direction = reply ? "reply" : "outbound";
    auto& evidence = misroute.evidence;
    if (reply) {
        const ObservedEvent& in = inbound->event;
        misroute.reply_source = in.packet.destination;
        evidence.push_back(fmt::format(
            "observed: a {} from {} arrived on {} ({}, {}) — traffic from the peer gets in",
            packet_word(path, *inbound), destination.str(),
            inbound->in_dev.empty() ? "?" : inbound->in_dev, describe_flow(in.packet),
            netfilter_hook_name(in.hook)));
        if (lookup)
            evidence.push_back(fmt::format("observed: {}'s route lookup, {}",
                                           reply_noun(path, *inbound), lookup_text(*lookup)));
        if (egress)
            evidence.push_back(
                fmt::format("observed: {} left through {} (POSTROUTING) instead "
                            "of {}",
                            reply_noun(path, *inbound), egress->out_dev, inbound->in_dev));
        evidence.push_back(fmt::format(
            "the answers never reach {}: its connections time out although this host received "
            "them",
            destination.str()));
    } else {
        if (lookup) evidence.push_back("observed: the route lookup for " + lookup_text(*lookup));
        if (egress)
            evidence.push_back(fmt::format("observed: {} left through {} (POSTROUTING)",
                                           describe_flow(egress->event.packet), egress->out_dev));
    }
    return misroute;
}

void merge_observed_misroute(const Snapshot& snapshot, Ipv4Address destination,
                             const ObservedMisroute& misroute, Diagnosis& diagnosis) {
    auto existing =
        std::find_if(diagnosis.findings.begin(), diagnosis.findings.end(),
                     [](const Finding& f) { return f.kind == "route-into-docker-bridge"; });
    if (existing == diagnosis.findings.end()) {
        existing = diagnosis.findings.insert(
            diagnosis.findings.begin(), finding_from_observation(snapshot, destination, misroute));
        if (diagnosis.verdict == Verdict::ok) diagnosis.headline.clear();
        diagnosis.verdict = Verdict::misrouted;
    }
    Finding& finding = *existing;
    finding.direction = misroute.direction;
    const std::string outbound_words = destination.str() + " is routed";
    if (misroute.direction == "reply" && finding.summary.starts_with(outbound_words)) {
        const bool was_headline = diagnosis.headline == finding.summary;
        finding.summary.replace(0, outbound_words.size(),
                                "replies to " + destination.str() + " are routed");
        if (was_headline || diagnosis.headline.empty()) diagnosis.headline = finding.summary;
    }
    if (diagnosis.headline.empty()) diagnosis.headline = finding.summary;
    // The observation goes first: it is what happened, the rest explains why.
    finding.evidence.insert(finding.evidence.begin(), misroute.evidence.begin(),
                            misroute.evidence.end());
}

}  // namespace pathwhy
