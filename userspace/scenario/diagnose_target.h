// Where pathwhy looks for a lab's incident: the lab's host namespace, its dockerd's socket and its
// daemon.json — the arguments a user on that host would not need, spelled out for the lab.
#pragma once

#include <string>
#include <vector>

#include "lab/lab.h"

namespace pathwhy::scenario {

struct DiagnoseTarget {
    std::string destination;
    std::string netns;
    std::string docker_host;
    std::string daemon_json;

    // pathwhy's arguments, without the program name: DESTINATION --netns ... --docker-host ...
    std::vector<std::string> args() const;
};

DiagnoseTarget diagnose_target(const lab::Lab& lab, std::string destination);

}  // namespace pathwhy::scenario
