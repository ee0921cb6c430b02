#include "explain/ruleset_verdict.h"

#include <algorithm>

#include "explain/event_names.h"
#include "model/ip_protocol.h"

namespace pathwhy {
namespace {

enum class Tri { no, yes, unknown };

Tri both(Tri a, Tri b) {
    if (a == Tri::no || b == Tri::no) return Tri::no;
    return (a == Tri::unknown || b == Tri::unknown) ? Tri::unknown : Tri::yes;
}

Tri from(bool value, bool negated) { return value != negated ? Tri::yes : Tri::no; }

// iptables' "br+" matches every name starting with "br".
Tri interface_matches(const std::optional<InterfaceMatch>& match, const std::string& dev) {
    if (!match) return Tri::yes;
    const std::string& name = match->name;
    const bool equal = name.ends_with('+')
                           ? dev.starts_with(std::string_view(name).substr(0, name.size() - 1))
                           : dev == name;
    return from(!dev.empty() && equal, match->negated);
}

Tri address_matches(const std::optional<AddressMatch>& match, Ipv4Address address) {
    if (!match) return Tri::yes;
    return from(match->prefix.contains(address), match->negated);
}

Tri protocol_matches(const FirewallRule& rule, std::uint8_t protocol) {
    if (rule.protocol.empty() || rule.protocol == "all") return Tri::yes;
    const bool equal =
        rule.protocol == ip_protocol_name(protocol) || rule.protocol == std::to_string(protocol);
    return from(equal, rule.protocol_negated);
}

Tri ports_match(const FirewallRule& rule, const FlowTuple& flow) {
    if (!rule.destination_ports) return Tri::yes;
    if (flow.protocol != 6 && flow.protocol != 17) return Tri::no;
    const auto [low, high] = *rule.destination_ports;
    return from(flow.destination_port >= low && flow.destination_port <= high, false);
}

Tri state_matches(const FirewallRule& rule, const std::optional<std::string>& state) {
    if (rule.ct_states.empty()) return Tri::yes;
    if (!state) return Tri::unknown;
    const bool listed =
        std::find(rule.ct_states.begin(), rule.ct_states.end(), *state) != rule.ct_states.end();
    return from(listed, rule.ct_states_negated);
}

Tri rule_matches(const FirewallRule& rule, const PacketAtHook& packet) {
    Tri result = interface_matches(rule.in_interface, packet.in_dev);
    result = both(result, interface_matches(rule.out_interface, packet.out_dev));
    result = both(result, address_matches(rule.source, packet.flow.source));
    result = both(result, address_matches(rule.destination, packet.flow.destination));
    result = both(result, protocol_matches(rule, packet.flow.protocol));
    result = both(result, ports_match(rule, packet.flow));
    result = both(result, state_matches(rule, packet.ct_state));
    return both(result, rule.unevaluated.empty() ? Tri::yes : Tri::unknown);
}

enum class Outcome { fall_through, accepted, dropped };

// One table's walk, netfilter's way.
class ChainWalk {
  public:
    ChainWalk(const FirewallTable& table, const PacketAtHook& packet)
        : table_(table), packet_(packet) {}

    Outcome walk(const FirewallChain& chain, int depth = 0) {
        if (depth > kMaxDepth) return Outcome::fall_through;  // a loop iptables would refuse
        path_.push_back(chain.name);
        for (const auto& rule : chain.rules) {
            const Tri matched = rule_matches(rule, packet_);
            if (matched == Tri::no) continue;
            const bool sure = matched == Tri::yes;
            if (rule.target == "DROP" || rule.target == "REJECT") {
                found_ = DroppingRule{table_.name, chain.name, path_,
                                      rule.text,   false,      sure && !uncertain_};
                return Outcome::dropped;
            }
            if (rule.target == "ACCEPT" || rule.target == "RETURN") {
                if (!sure) {
                    uncertain_ = true;  // assume it did not match
                    continue;
                }
                if (rule.target == "ACCEPT") return Outcome::accepted;
                path_.pop_back();
                return Outcome::fall_through;
            }
            if (const FirewallChain* next = table_.chain(rule.target)) {
                if (!sure) uncertain_ = true;
                const Outcome outcome = walk(*next, depth + 1);
                if (outcome != Outcome::fall_through) return outcome;
                if (rule.is_goto && sure) {
                    path_.pop_back();
                    return Outcome::fall_through;
                }
            }
            // Any other target (LOG, MARK, CT, ...) lets the packet go on to the next rule.
        }
        if (chain.hook && chain.policy == "DROP") {
            found_ = DroppingRule{table_.name, chain.name, path_, "policy DROP", true, !uncertain_};
            return Outcome::dropped;
        }
        path_.pop_back();
        return chain.hook ? Outcome::accepted : Outcome::fall_through;
    }

    const std::optional<DroppingRule>& found() const { return found_; }

  private:
    static constexpr int kMaxDepth = 32;
    const FirewallTable& table_;
    const PacketAtHook& packet_;
    std::vector<std::string> path_;
    bool uncertain_ = false;
    std::optional<DroppingRule> found_;
};

}  // namespace

std::optional<DroppingRule> find_dropping_rule(const Ruleset& ruleset, const PacketAtHook& packet,
                                               int entry_priority, int exit_priority) {
    struct Base {
        const FirewallTable* table;
        const FirewallChain* chain;
    };
    std::vector<Base> bases;
    for (const auto& table : ruleset.tables)
        for (const auto& chain : table.chains)
            if (chain.hook == packet.hook && chain.priority >= entry_priority &&
                chain.priority <= exit_priority)
                bases.push_back({&table, &chain});
    std::stable_sort(bases.begin(), bases.end(), [](const Base& a, const Base& b) {
        return a.chain->priority < b.chain->priority;
    });
    for (const auto& base : bases) {
        ChainWalk walk(*base.table, packet);
        if (walk.walk(*base.chain) == Outcome::dropped) return walk.found();
    }
    return std::nullopt;
}

std::vector<std::string> iptables_tables_between(NetfilterHook hook, int low, int high) {
    // Which table has a built-in chain at which hook (nat is left out: it cannot drop).
    struct Table {
        const char* name;
        std::vector<NetfilterHook> hooks;
    };
    using H = NetfilterHook;
    static const std::vector<Table> kTables = {
        {"raw", {H::prerouting, H::local_out}},
        {"mangle", {H::prerouting, H::local_in, H::forward, H::local_out, H::postrouting}},
        {"filter", {H::local_in, H::forward, H::local_out}},
        {"security", {H::local_in, H::forward, H::local_out}},
    };
    std::vector<std::pair<int, std::string>> found;
    for (const auto& table : kTables) {
        if (std::find(table.hooks.begin(), table.hooks.end(), hook) == table.hooks.end()) continue;
        const int priority = iptables_table_priority(table.name, hook);
        if (priority >= low && priority <= high) found.emplace_back(priority, table.name);
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> names;
    for (auto& [priority, name] : found) names.push_back(std::move(name));
    return names;
}

}  // namespace pathwhy
