// The seed scenarios' definitions, one file each; catalog.cpp is their only user.
#pragma once

#include "scenario/scenario.h"

namespace pathwhy::scenario {

Scenario leaked_networks_scenario();   // 000, leaked_networks.cpp
Scenario vpn_office_range_scenario();  // 001, vpn_office_range.cpp
Scenario vpc_range_bridge_scenario();  // 002, vpc_range_bridge.cpp
Scenario stale_conntrack_scenario();   // 003, stale_conntrack.cpp
Scenario up_down_cycles_scenario();    // 004, up_down_cycles.cpp

}  // namespace pathwhy::scenario
