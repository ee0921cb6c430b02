// Docker's model values (docker_state.h, docker_event.h) in a recording's JSON.
#pragma once

#include <nlohmann/json.hpp>

#include "model/docker_event.h"
#include "model/docker_state.h"

namespace pathwhy::record_json {

nlohmann::json docker_state_to_json(const DockerState& state);
DockerState docker_state_from_json(const nlohmann::json& j);

nlohmann::json docker_event_to_json(const DockerEvent& event);
DockerEvent docker_event_from_json(const nlohmann::json& j);

}  // namespace pathwhy::record_json
