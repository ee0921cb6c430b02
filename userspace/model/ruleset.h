// The IPv4 firewall of one network namespace as iptables presents it: tables, chains with their
// policies, and each rule's matches and target, in order. Filled by kernel/ from `iptables-save`
// (or `nft -j list ruleset`), read by the explainer to say which rule or policy most likely
// dropped a packet that a netfilter hook swallowed. Only the matches that decide Docker's
// FORWARD verdicts are taken apart; everything else is kept by name, so that the explainer knows
// a rule has a condition it cannot judge instead of mistaking it for an unconditional one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/ipv4.h"
#include "model/observed_event.h"

namespace pathwhy {

// "-i br-1a2b", "! -o docker0", "-o br+": an interface condition as iptables writes it.
struct InterfaceMatch {
    std::string name;  // may end in '+', iptables' prefix wildcard
    bool negated = false;
};

struct AddressMatch {
    Ipv4Cidr prefix;
    bool negated = false;
};

struct FirewallRule {
    std::string chain;
    std::string text;  // as iptables-save prints it ("-A FORWARD -o br-1a2b -j DOCKER"), for users
    std::optional<InterfaceMatch> in_interface;
    std::optional<InterfaceMatch> out_interface;
    std::optional<AddressMatch> source;
    std::optional<AddressMatch> destination;
    std::string protocol;  // "tcp", "udp", "icmp", "" for any
    bool protocol_negated = false;
    // -m conntrack --ctstate / -m state --state: "NEW", "ESTABLISHED", "RELATED", "INVALID"...
    std::vector<std::string> ct_states;
    bool ct_states_negated = false;
    // --dport N or N:M of -p tcp/udp; nullopt when the rule does not look at ports.
    std::optional<std::pair<std::uint16_t, std::uint16_t>> destination_ports;
    // Conditions pathwhy does not evaluate ("addrtype", "set", "mark"...): whether such a rule
    // matches a packet is unknown.
    std::vector<std::string> unevaluated;
    std::string target;    // "ACCEPT", "DROP", "REJECT", "RETURN", a chain name, "MASQUERADE"...
    bool is_goto = false;  // -g: a jump that does not come back
};

struct FirewallChain {
    std::string name;
    std::string policy;  // built-in chains: "ACCEPT" or "DROP"; "" for user-defined chains
    // Where a built-in (base) chain sits: its netfilter hook and priority. For iptables these
    // follow from the chain's and table's names (FORWARD of filter: forward, 0); nft says them.
    std::optional<NetfilterHook> hook;
    int priority = 0;
    std::vector<FirewallRule> rules;
};

struct FirewallTable {
    std::string name;  // "filter", "nat", "mangle", "raw", "security"
    std::vector<FirewallChain> chains;

    const FirewallChain* chain(const std::string& name) const;
};

struct Ruleset {
    std::string source;  // the command it came from: "iptables-save", "nft -j list ruleset"
    std::string error;   // why no rules could be read (no tool, no permission); tables empty
    std::vector<FirewallTable> tables;

    const FirewallTable* table(const std::string& name) const;
};

// The priority iptables registers a table's chains at (raw -300, mangle -150, nat -100 on
// PREROUTING/OUTPUT and 100 on INPUT/POSTROUTING, filter 0, security 50): what the reader gives
// each iptables chain, and what the explainer compares the tracer's priorities with.
int iptables_table_priority(std::string_view table, NetfilterHook hook);

}  // namespace pathwhy
