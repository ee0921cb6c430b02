// `pathwhy report --format json`: the incident report for scripts, with the same field names as
// the other formats' words come from (README, "Incident reports"). Findings are as in
// `pathwhy --json`.
#pragma once

#include <nlohmann/json.hpp>

#include "report/incident_report.h"

namespace pathwhy {

nlohmann::json incident_report_to_json(const IncidentReport& report);

}  // namespace pathwhy
