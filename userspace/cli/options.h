// What the command line asked for, as plain values: filled by main.cpp, read by the commands.
#pragma once

#include <string>

namespace pathwhy {

// Exit codes are part of the interface: scripts branch on them.
enum ExitCode : int {
    kExitHealthy = 0,  // the destination's path is fine
    kExitProblem = 1,  // pathwhy found why it is not
    kExitError = 2,    // pathwhy could not diagnose: bad input, no permission, ...
};

struct DiagnoseOptions {
    std::string destination;
    std::string netns;        // "" = pathwhy's own namespace; a name or a path otherwise
    std::string docker_host;  // "" = $DOCKER_HOST, then the default socket
    std::string daemon_json = "/etc/docker/daemon.json";
    bool json = false;
};

struct DemoOptions {
    bool json = false;
};

}  // namespace pathwhy
