#include "explain/netfilter_drop.h"

#include <fmt/format.h>

#include <limits>
#include <map>

#include "explain/docker_bridges.h"
#include "explain/event_names.h"
#include "explain/ruleset_verdict.h"

namespace pathwhy {
namespace {

using Kind = ObservedEvent::Kind;

// The tracer's programs sit symmetrically (INT_MIN+1 and INT_MAX-1, or INT_MIN and INT_MAX for
// the whole-hook fallback): a dropped packet's exit priority is the mirror of its entry's.
int exit_priority_of(const Hop& hop) {
    if (hop.exit_step) return hop.exit_priority;
    return std::numeric_limits<int>::max() - (hop.entry_priority - std::numeric_limits<int>::min());
}

// Conntrack attaches its entry at PREROUTING and OUTPUT priority -200, after the tracer's entry
// program: a packet that died in one of those hooks shows no entry whatever its state.
bool conntrack_attached_before(const Hop& hop) {
    return hop.hook != NetfilterHook::prerouting && hop.hook != NetfilterHook::local_out;
}

std::optional<std::string> ct_state_at(const Hop& hop, bool conntrack_seen) {
    if (hop.conntrack) return ctinfo_state_name(hop.conntrack->ctinfo);
    // No entry attached although conntrack was watched, past the hook that attaches it:
    // conntrack found the packet INVALID (or the namespace does not track, in which case no
    // rule asks).
    if (conntrack_seen && conntrack_attached_before(hop)) return std::string("INVALID");
    return std::nullopt;
}

// Why the drops view is not there to confirm a drop, in the words of the view's own status.
std::string drops_view_missing(const KernelViews& views) {
    for (const auto& view : views)
        if (view.view == KernelView::drops && !view.active)
            return "the drops view (skb:kfree_skb) is missing" +
                   (view.reason.empty() ? std::string{} : ": " + view.reason);
    return "the drops view (skb:kfree_skb) is missing";
}

const DockerNetwork* network_on(const Snapshot& snapshot, const std::string& dev) {
    if (dev.empty()) return nullptr;
    const Link* link = snapshot.kernel.link_by_name(dev);
    if (!link) return snapshot.docker.network_by_bridge(dev);
    auto owner = docker_bridge_owner(snapshot, link->ifindex);
    return owner ? owner->network : nullptr;
}

std::string device_text(const Snapshot& snapshot, const std::string& dev) {
    const DockerNetwork* network = network_on(snapshot, dev);
    return network ? fmt::format("{} (Docker network {})", dev, network->name) : dev;
}

// The container that sent the packet, by its address on a Docker network.
const DockerContainer* container_with(const Snapshot& snapshot, Ipv4Address address) {
    for (const auto& container : snapshot.docker.containers)
        for (const auto& network : container.networks)
            if (network.ipv4 == address) return &container;
    return nullptr;
}

// What Docker means by the rule that dropped the packet, and what to do about it.
void explain_docker_rule(const Snapshot& snapshot, const Hop& hop, const DroppingRule& rule,
                         Finding& finding) {
    const std::string in = hop.in_dev.empty() ? "this host" : device_text(snapshot, hop.in_dev);
    const std::string out = hop.out_dev.empty() ? "this host" : device_text(snapshot, hop.out_dev);
    if (rule.chain.starts_with("DOCKER-ISOLATION")) {
        finding.evidence.push_back(fmt::format(
            "Docker isolates its bridge networks from each other: {} chains drop what goes from "
            "one network's bridge to another's, here from {} to {}, by design",
            "DOCKER-ISOLATION-STAGE-1/2", in, out));
        const DockerNetwork* target = network_on(snapshot, hop.out_dev);
        const DockerContainer* sender = container_with(snapshot, hop.entry.source);
        if (target && sender)
            finding.fix.push_back(
                fmt::format("docker network connect {} {}", target->name, sender->name));
        finding.fix.push_back(
            "# or put both services on one network (compose: a shared "
            "`networks:` entry), or publish the port and use the host's address");
    } else if (rule.by_policy && rule.chain == "FORWARD") {
        finding.evidence.push_back(
            "no rule in FORWARD accepted the packet, so the chain's policy DROP decided: Docker "
            "sets it when it enables IP forwarding, and accepts only traffic from its bridges, "
            "replies, and connections to published ports");
        if (!hop.in_dev.empty() && !hop.out_dev.empty())
            finding.fix.push_back(fmt::format(
                "iptables -I DOCKER-USER -i {} -o {} -j ACCEPT   # DOCKER-USER is yours: Docker "
                "never rewrites it",
                hop.in_dev, hop.out_dev));
        finding.fix.push_back(
            "# or publish the container's port (docker run -p) and connect to "
            "the host's address");
    } else if (rule.chain == "DOCKER-USER") {
        finding.evidence.push_back(
            "DOCKER-USER holds only what the host's administrator (or "
            "another tool) put there: Docker adds no rule to it");
        finding.fix.push_back(fmt::format("iptables -D {}", rule.rule.substr(3)));
    } else if (rule.table == "raw" && rule.chain.starts_with("DOCKER")) {
        finding.evidence.push_back(
            "Docker 28+ drops packets addressed to a container that do not arrive through the "
            "container's bridge (direct routing from another host or a VPN)");
        finding.fix.push_back(
            "# publish the port, or set \"allow-direct-routing\": true (Docker "
            "28.2+) in /etc/docker/daemon.json");
    }
}

struct Place {
    std::string hook, in_dev, out_dev, rule;
    auto operator<=>(const Place&) const = default;
};

// `unconfirmed_because` empty: the kernel freed the packet with NETFILTER_DROP inside the hook.
Finding drop_finding(const Snapshot& snapshot, const ObservedPath& path, const Hop& hop,
                     bool conntrack_seen, const std::string& unconfirmed_because) {
    Finding finding;
    finding.kind = "netfilter-drop";
    finding.severity = unconfirmed_because.empty() ? Severity::critical : Severity::warning;
    DropPoint drop;
    drop.hook = netfilter_hook_name(hop.hook);
    drop.in_dev = hop.in_dev;
    drop.out_dev = hop.out_dev;
    const int low = hop.entry_priority, high = exit_priority_of(hop);
    drop.tables = iptables_tables_between(hop.hook, low, high);
    drop.packets = 1;
    drop.confirmed = unconfirmed_because.empty();
    drop.unconfirmed_because = unconfirmed_because;
    if (hop.drop_step) {
        const ObservedEvent& e = path.steps[*hop.drop_step].event;
        drop.reason = e.drop_reason_name;
        drop.location = e.drop_location;
    }

    std::string devices;
    if (!hop.in_dev.empty()) devices += "in " + hop.in_dev;
    if (!hop.out_dev.empty()) devices += (devices.empty() ? "out " : ", out ") + hop.out_dev;
    auto& evidence = finding.evidence;
    evidence.push_back(
        fmt::format("observed: {} entered {}{} at priority {} and never reached priority {}",
                    describe_flow(hop.entry), drop.hook,
                    devices.empty() ? "" : " (" + devices + ")", low, high));
    if (!drop.reason.empty())
        evidence.push_back(fmt::format("the kernel freed it with reason {}{}", drop.reason,
                                       drop.location.empty() ? "" : " in " + drop.location));
    else
        evidence.push_back(fmt::format(
            "unconfirmed: no drop of it was seen because {}, so the drop is inferred from the "
            "missing exit alone",
            unconfirmed_because));
    if (!drop.tables.empty()) {
        std::string tables;
        for (const auto& table : drop.tables) tables += (tables.empty() ? "" : ", ") + table;
        evidence.push_back(
            fmt::format("tables registered in {} between those priorities: {}", drop.hook, tables));
    }

    const std::optional<std::string> state = ct_state_at(hop, conntrack_seen);
    PacketAtHook at{hop.hook, hop.entry, hop.in_dev, hop.out_dev, state};
    std::optional<DroppingRule> rule;
    if (snapshot.ruleset && snapshot.ruleset->error.empty())
        rule = find_dropping_rule(*snapshot.ruleset, at, low, high);
    if (rule) {
        drop.table = rule->table;
        drop.chain = rule->chain;
        drop.rule = rule->rule;
        drop.certain = rule->certain;
        std::string way;
        for (const auto& chain : rule->chains) way += (way.empty() ? "" : " → ") + chain;
        evidence.push_back(fmt::format("{} ({}): table {}, {} — {}",
                                       rule->certain ? "the rule that drops it" : "most likely",
                                       snapshot.ruleset->source, rule->table, way, rule->rule));
        explain_docker_rule(snapshot, hop, *rule, finding);
        finding.summary =
            fmt::format("{} is {} in {} by {} ({} table{})", describe_flow(hop.entry),
                        drop.confirmed ? "dropped" : "probably dropped (unconfirmed)", drop.hook,
                        rule->by_policy ? rule->chain + "'s policy DROP" : "chain " + rule->chain,
                        rule->table, rule->certain ? "" : ", most likely");
    } else {
        if (!snapshot.ruleset)
            evidence.push_back("the ruleset was not read, so the rule is not named");
        else if (!snapshot.ruleset->error.empty())
            evidence.push_back("the rule is not named: " + snapshot.ruleset->error);
        else
            evidence.push_back(fmt::format(
                "no rule or policy in what {} shows drops it{}: something outside iptables did "
                "(an nft table of another tool, a conntrack verdict, a BPF program)",
                snapshot.ruleset->source, state ? " (conntrack state " + *state + ")" : ""));
        finding.summary = fmt::format("{} is {} in the {} hook{}", describe_flow(hop.entry),
                                      drop.confirmed ? "dropped" : "probably dropped (unconfirmed)",
                                      drop.hook, devices.empty() ? "" : " (" + devices + ")");
    }
    if (const DockerNetwork* network = network_on(snapshot, hop.out_dev))
        finding.docker_network = network_ref(snapshot, *network);
    else if (const DockerNetwork* from = network_on(snapshot, hop.in_dev))
        finding.docker_network = network_ref(snapshot, *from);
    finding.drop = std::move(drop);
    return finding;
}

// Why an entry without exit, freed by nothing the tracer saw, is no drop to report — or nothing,
// when it may be one: then the drops view is missing and the finding is unconfirmed.
std::optional<UnfinishedPacket::Cause> not_a_drop(const ObservedPath& path, const Hop& hop,
                                                  const Observation& observation) {
    const std::uint64_t entered = path.steps[*hop.entry_step].event.timestamp_ns;
    // At the end of the events the exit may simply not have been read: the ring buffer is read
    // in batches, and a tracer that stops (a recording's end, Ctrl-C, detaching) never reads its
    // last ones. A second covers a batch many times over.
    if (observation.events_end_ns && entered + kUnfinishedTailNs >= *observation.events_end_ns)
        return observation.tracer_stopped ? UnfinishedPacket::Cause::tracer_stopped
                                          : UnfinishedPacket::Cause::not_seen_yet;
    // The exit's event, or the drop's, may be among those the ring buffer had no room for.
    if (observation.lost_events) return UnfinishedPacket::Cause::events_lost;
    // Every netfilter drop frees the packet with kfree_skb(NETFILTER_DROP) in nf_hook_slow (a
    // DROP, a REJECT, a policy), and skb:kfree_skb fires for it: with the drops view active, a
    // packet that left no such event was not dropped by a rule. It was taken (NFQUEUE, a
    // defragmenting hook) or left unseen — a NAT rule that moved it out of the watched prefixes
    // also moves it out of the exit's filter.
    if (observation.view_active(KernelView::drops)) return UnfinishedPacket::Cause::not_freed;
    return std::nullopt;
}

}  // namespace

NetfilterDrops netfilter_drops(const Snapshot& snapshot, const ObservedPath& path,
                               const Observation& observation) {
    NetfilterDrops out;
    const bool conntrack_seen = observation.view_active(KernelView::conntrack);
    std::map<Place, std::size_t> seen;  // one finding per place, counting its packets
    for (const auto& packet : path.packets) {
        std::string unconfirmed_because;
        const Hop* hop = packet.dropped_in();
        if (hop) {
            // Freed inside the hook for another reason: kernel-drop tells that, with its reason.
            const std::string& reason = path.steps[*hop->drop_step].event.drop_reason_name;
            if (reason != "NETFILTER_DROP") continue;
        } else if ((hop = packet.unfinished_in())) {
            if (auto cause = not_a_drop(path, *hop, observation)) {
                const std::uint64_t entered = path.steps[*hop->entry_step].event.timestamp_ns;
                out.unfinished.push_back({path.steps[*hop->entry_step].event.packet_id, entered,
                                          netfilter_hook_name(hop->hook), *cause});
                continue;
            }
            unconfirmed_because = drops_view_missing(observation.views);
        } else {
            continue;
        }
        Finding finding = drop_finding(snapshot, path, *hop, conntrack_seen, unconfirmed_because);
        Place place{finding.drop->hook, hop->in_dev, hop->out_dev, finding.drop->rule};
        if (auto it = seen.find(place); it != seen.end()) {
            Finding& earlier = out.findings[it->second];
            ++earlier.drop->packets;
            continue;
        }
        seen.emplace(place, out.findings.size());
        out.findings.push_back(std::move(finding));
    }
    for (auto& finding : out.findings)
        if (finding.drop->packets > 1)
            finding.evidence.insert(
                finding.evidence.begin() + 1,
                fmt::format("{} packets died there in all", finding.drop->packets));
    return out;
}

UnfinishedCounts count_by_cause(const std::vector<UnfinishedPacket>& unfinished) {
    UnfinishedCounts counts;
    for (const auto& packet : unfinished) ++counts[packet.cause];
    return counts;
}

std::optional<std::string> unfinished_summary(const UnfinishedCounts& counts) {
    using Cause = UnfinishedPacket::Cause;
    static const std::map<Cause, const char*> kWhy = {
        {Cause::tracer_stopped, "in the tracer's last second, before their next event"},
        {Cause::events_lost, "while events were lost, which may hold their next event"},
        {Cause::not_freed, "that the kernel never freed as dropped"},
    };
    std::string causes;
    std::size_t total = 0;
    for (const auto& [cause, count] : counts) {
        auto why = kWhy.find(cause);
        if (why == kWhy.end() || !count) continue;
        causes += fmt::format("{}{} {}", causes.empty() ? "" : "; ", count, why->second);
        total += count;
    }
    if (!total) return std::nullopt;
    return fmt::format(
        "{} packet{} seen entering a netfilter hook and not leaving it {} not counted as drops, "
        "a missing event alone being no proof: {}",
        total, total == 1 ? "" : "s", total == 1 ? "is" : "are", causes);
}

}  // namespace pathwhy
