// `iptables-save` output turned into a Ruleset. Pure: text in, values out, so unit tests parse a
// recorded Docker host's rules. Built-in chains get their hook and the table's priority; each
// rule keeps its original line for users and has the matches that decide Docker's FORWARD
// verdicts (-i/-o, -s/-d, -p, --dport, conntrack/state) taken apart. Other matches are listed as
// unevaluated rather than dropped, and lines that are not rules or chains are skipped.
#pragma once

#include <string_view>

#include "model/ruleset.h"

namespace pathwhy {

Ruleset parse_iptables_save(std::string_view text);

// The hook of a built-in chain name ("FORWARD" -> forward); nullopt for user-defined chains.
std::optional<NetfilterHook> builtin_chain_hook(std::string_view chain);

}  // namespace pathwhy
