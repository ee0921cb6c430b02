// The scenario catalogue: every seed incident that has a lab scenario, in seed order. Tests
// iterate over it, so a scenario added here is covered by them without further ado.
#pragma once

#include <string_view>
#include <vector>

#include "scenario/scenario.h"

namespace pathwhy::scenario {

const std::vector<Scenario>& all_scenarios();
// nullptr when there is no scenario with that id.
const Scenario* find_scenario(std::string_view id);

}  // namespace pathwhy::scenario
