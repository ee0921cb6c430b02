// Runs the built pathwhy binary as a user would, capturing exit code, stdout and stderr, with a
// deadline so a hang fails the test instead of stalling CI.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace pathwhy::test {

struct PathwhyRun {
    int exit_code = -1;
    std::string out;
    std::string err;
    std::chrono::milliseconds elapsed{0};
    nlohmann::json json() const;  // stdout parsed; a test failure if it is not JSON
};

// `env` entries are set on top of the test's environment ({"DOCKER_HOST", ""} sets it empty,
// which pathwhy, like the docker CLI, treats as unset).
PathwhyRun run_pathwhy(const std::vector<std::string>& args,
                       const std::vector<std::pair<std::string, std::string>>& env = {},
                       std::chrono::seconds timeout = std::chrono::seconds(60));

}  // namespace pathwhy::test
