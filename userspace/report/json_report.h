// The --json contract: scripts and our tests parse this, so field names and value types are
// stable and documented in the README ("JSON output").
#pragma once

#include <nlohmann/json.hpp>

#include "explain/diagnosis.h"
#include "model/docker_state.h"

namespace pathwhy {

// Where the diagnosis looked, reported beside it so a script knows what was (not) seen.
struct DiagnosisContext {
    std::string netns;  // "" for the tool's own namespace
    DockerStatus docker_status = DockerStatus::absent;
    std::string docker_endpoint;
    std::string docker_version;
    std::string docker_error;
};

nlohmann::json diagnosis_to_json(const Diagnosis& diagnosis, const DiagnosisContext& context);

// The parts other reports share (`pathwhy scan`): the "findings" array and the "docker" object.
nlohmann::json findings_to_json(const std::vector<Finding>& findings);
nlohmann::json docker_context_to_json(const DiagnosisContext& context);

}  // namespace pathwhy
