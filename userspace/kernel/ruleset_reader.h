// Reads the IPv4 firewall of the calling thread's network namespace (enter it with NetnsScope
// first): `iptables-save`, which shows what Docker wrote whichever backend it used; when
// iptables-save warns that legacy tables exist too, `iptables-legacy-save` as well; and when
// iptables-save is missing or shows no table, `nft -j list ruleset`. Never throws: what could not
// be read is said in Ruleset::error, and the diagnosis goes on without naming rules.
#pragma once

#include "model/ruleset.h"

namespace pathwhy {

Ruleset read_ruleset();

}  // namespace pathwhy
