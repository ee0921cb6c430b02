// What pathwhy must say about a scenario once the incident is on, and the one check of a
// diagnosis against it — shared by `pathwhy demo` (on the Diagnosis it printed, as JSON) and the
// privileged tests (on the built binary's --json), so both hold pathwhy to the same answer.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace pathwhy::scenario {

struct Expected {
    std::string kind;                   // a finding of this kind
    std::vector<std::string> mentions;  // ... that mentions each of these (names, bridge, ...)
    // Non-empty when the lab's engine prevents the incident (why, one line): pathwhy must then
    // find the path healthy, as the probe does, and `kind` and `mentions` are unused.
    std::string prevented_because;

    bool healthy() const { return !prevented_because.empty(); }
};

// What DIAGNOSIS (pathwhy's --json object) lacks of EXPECTED, one line each; empty when a single
// finding of the kind mentions every name (or, for a prevented incident, when the verdict is ok).
std::vector<std::string> unmet(const Expected& expected, const nlohmann::json& diagnosis);

}  // namespace pathwhy::scenario
