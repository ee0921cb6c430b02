// The --json form of what the packet tracer saw: "observed" (every event in time order, with
// devices by name and numbers by their kernel names), "views" (which kernel views were active,
// and why not) and "trace" (how packets were provoked or watched). Part of the documented JSON
// contract (README, "JSON output"): fields keep their names and types.
#pragma once

#include <nlohmann/json.hpp>

#include "explain/diagnosis.h"

namespace pathwhy {

nlohmann::json observed_to_json(const ObservedPath& path);
nlohmann::json views_to_json(const KernelViews& views);
nlohmann::json trace_to_json(const std::optional<TraceInfo>& trace);
nlohmann::json drop_to_json(const std::optional<DropPoint>& drop);

}  // namespace pathwhy
