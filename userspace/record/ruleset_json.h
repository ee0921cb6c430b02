// The namespace's firewall (model/ruleset.h) in a recording's JSON, so that a netfilter drop
// replayed from a recording names the same rule the live diagnosis would have.
#pragma once

#include <nlohmann/json.hpp>

#include "model/ruleset.h"

namespace pathwhy::record_json {

nlohmann::json ruleset_to_json(const Ruleset& ruleset);
Ruleset ruleset_from_json(const nlohmann::json& j);

}  // namespace pathwhy::record_json
