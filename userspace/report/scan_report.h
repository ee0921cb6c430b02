// `pathwhy scan`'s answer as text and as JSON: a verdict line ("OK" / "PROBLEMS"), what was
// checked, then the findings exactly as a diagnosis renders them (same kinds, evidence, fix,
// prevent; same JSON objects). The JSON is part of the documented contract (README, "scan").
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "explain/scan.h"
#include "report/json_report.h"
#include "report/text_report.h"

namespace pathwhy {

std::string render_scan_text(const ScanResult& result, const TextStyle& style);
nlohmann::json scan_to_json(const ScanResult& result, const DiagnosisContext& context);

}  // namespace pathwhy
