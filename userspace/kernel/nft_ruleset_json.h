// `nft -j list ruleset` turned into a Ruleset: the fallback for hosts without iptables-save (or
// whose iptables-save shows nothing). Pure. Only the ip and inet families are read. Base chains
// carry their hook and priority as nft states them; the expressions iptables-nft and Docker
// write (interface names, addresses, protocol, destination port, ct state, verdicts) become the
// same fields iptables-save's rules get, anything else is listed as unevaluated. Each rule's
// text is written in iptables' spelling, so that users read one language whichever tool it came
// from. Throws Error when the text is not nft's JSON.
#pragma once

#include <string_view>

#include "model/ruleset.h"

namespace pathwhy {

Ruleset parse_nft_ruleset_json(std::string_view text);

}  // namespace pathwhy
