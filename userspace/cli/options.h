// What the command line asked for, as plain values: filled by main.cpp, read by the commands.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/docker_state.h"

namespace pathwhy {

// Exit codes are part of the interface: scripts branch on them.
enum ExitCode : int {
    kExitHealthy = 0,  // the destination's path is fine
    kExitProblem = 1,  // pathwhy found why it is not
    kExitError = 2,    // pathwhy could not diagnose: bad input, no permission, ...
};

// --probe / --watch: trace packets to and from the destination while diagnosing it.
struct TraceOptions {
    std::string probe;      // "tcp:PORT", "udp:PORT", "icmp"; "" = send nothing
    std::string from;       // "container:NAME": send the probe from inside that container
    std::optional<int> watch_seconds;  // watch real traffic this long instead of probing
    std::string ready_file;  // hidden: written once the tracer is attached (tests' handshake)

    bool requested() const {
        return !probe.empty() || !from.empty() || watch_seconds || !ready_file.empty();
    }
};

struct DiagnoseOptions {
    std::string destination;
    std::string netns;        // "" = pathwhy's own namespace; a name or a path otherwise
    std::string docker_host;  // "" = $DOCKER_HOST, then the default socket
    std::string daemon_json = kDefaultDaemonJson;
    bool json = false;
    bool fix = false;  // delete the stale conntrack entries found, then diagnose again
    bool yes = false;  // with fix: do not ask first
    TraceOptions trace;
};

// `pathwhy scan`: the host (or --netns) as a whole.
struct ScanOptions {
    std::vector<std::string> peers;  // CIDRs of peer/VPN/VPC ranges that must stay reachable
    std::string netns;
    std::string docker_host;
    std::string daemon_json = kDefaultDaemonJson;
    bool json = false;
};

struct DemoOptions {
    std::string scenario = "000";  // a seed scenario's id (scenario/catalog.h)
    bool list = false;             // list the scenarios instead of running one
    bool heal = false;             // also heal the incident and diagnose again
    bool json = false;
};

}  // namespace pathwhy
