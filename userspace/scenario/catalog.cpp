#include "scenario/catalog.h"

#include "scenario/seeds.h"

namespace pathwhy::scenario {

const std::vector<Scenario>& all_scenarios() {
    static const std::vector<Scenario> scenarios{
        leaked_networks_scenario(), vpn_office_range_scenario(), vpc_range_bridge_scenario(),
        stale_conntrack_scenario(), up_down_cycles_scenario(),
    };
    return scenarios;
}

const Scenario* find_scenario(std::string_view id) {
    for (const auto& scenario : all_scenarios())
        if (scenario.id == id) return &scenario;
    return nullptr;
}

}  // namespace pathwhy::scenario
