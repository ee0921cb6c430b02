// The notes a diagnosis carries when Docker's view is missing or degraded (no daemon, an error, a
// broken daemon.json), so that an answer made without Docker's metadata says so.
#pragma once

#include <string>
#include <vector>

#include "model/docker_state.h"

namespace pathwhy {

std::vector<std::string> docker_notes(const DockerState& docker);

}  // namespace pathwhy
