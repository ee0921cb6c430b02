// Which rule or policy of the ruleset most likely dropped a packet that the tracer saw enter a
// netfilter hook and never leave it. Walks every base chain registered at that hook between the
// tracer's two programs, in priority order, the way netfilter would: jumps, gotos, RETURN and
// policies, with -i/-o, -s/-d, -p, --dport and conntrack states evaluated against what the
// tracer saw. A condition pathwhy cannot evaluate makes the answer "likely" rather than certain;
// a jump behind one is still followed, an ACCEPT behind one is assumed not to have matched
// (the packet was dropped, after all). Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/observed_event.h"
#include "model/ruleset.h"

namespace pathwhy {

// What rules can be matched against: the packet as the hook's first rule saw it.
struct PacketAtHook {
    NetfilterHook hook = NetfilterHook::forward;
    FlowTuple flow;
    std::string in_dev;   // "" where the hook has none (OUTPUT)
    std::string out_dev;  // "" where the hook has none (PREROUTING, INPUT)
    // "NEW", "ESTABLISHED", "RELATED", "INVALID", "UNTRACKED"; nullopt when conntrack was not
    // seen (the view is missing), so that state rules are "unknown" rather than guessed.
    std::optional<std::string> ct_state;
};

struct DroppingRule {
    std::string table;
    std::string chain;                // where it was decided
    std::vector<std::string> chains;  // the way there: FORWARD, DOCKER-ISOLATION-STAGE-1, ...
    std::string rule;                 // the rule as iptables-save prints it, or "policy DROP"
    bool by_policy = false;
    bool certain = false;  // every condition on the way was evaluated
};

std::optional<DroppingRule> find_dropping_rule(const Ruleset& ruleset, const PacketAtHook& packet,
                                               int entry_priority, int exit_priority);

// The iptables tables registered at `hook` between two priorities, by priority — what a drop
// between the tracer's programs can be blamed on when no ruleset could be read (nat never drops).
std::vector<std::string> iptables_tables_between(NetfilterHook hook, int low, int high);

}  // namespace pathwhy
