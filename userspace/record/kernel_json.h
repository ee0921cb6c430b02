// The kernel's model values (kernel_state.h, kernel_change.h) in a recording's JSON: every field
// kept, so that a Snapshot read back explains exactly as the live one did.
#pragma once

#include <nlohmann/json.hpp>

#include "model/kernel_change.h"
#include "model/kernel_state.h"

namespace pathwhy::record_json {

nlohmann::json kernel_state_to_json(const KernelState& state);
KernelState kernel_state_from_json(const nlohmann::json& j);

nlohmann::json route_answer_to_json(const KernelRouteAnswer& answer);
KernelRouteAnswer route_answer_from_json(const nlohmann::json& j);

nlohmann::json kernel_change_to_json(const KernelChange& change);
KernelChange kernel_change_from_json(const nlohmann::json& j);

}  // namespace pathwhy::record_json
