// `pathwhy demo`'s run of one scenario: its lab built, the incident broken, the symptom shown,
// pathwhy's diagnosis held to what the scenario expects, optionally healed and diagnosed again,
// and the lab torn down — also after a step that threw, and after Ctrl-C. The diagnosis itself is
// the caller's (the CLI's, exactly as a user would run it); this layer owns the lab around it.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "scenario/diagnose_target.h"
#include "scenario/scenario.h"

namespace pathwhy::scenario {

struct DemoSteps {
    // Told each progress line ("scenario 000: ...", "symptom: ...", "tearing the lab down").
    std::function<void(const std::string& line)> progress;
    // Diagnoses TARGET as pathwhy would for a user there (showing it as it sees fit) and returns
    // the diagnosis as pathwhy's --json object, which the demo checks.
    std::function<nlohmann::json(const DiagnoseTarget& target)> diagnose;
};

// True when pathwhy named the culprit (and, with HEAL, then found the path healthy). Throws Error
// when the lab cannot be built or a step fails; the lab is gone either way.
bool run_demo(const Scenario& scenario, bool heal, const DemoSteps& steps);

}  // namespace pathwhy::scenario
