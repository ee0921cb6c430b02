// Everything the explainer may look at, taken at one instant: the kernel's view of one network
// namespace, Docker's metadata and the kernel's own route answer for the destination.
// Live diagnosis, recordings and test fixtures all produce this same value.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "model/docker_state.h"
#include "model/kernel_state.h"

namespace pathwhy {

struct Snapshot {
    std::int64_t taken_at_unix = 0;
    std::string netns;  // what the user asked for ("", a name or a path), for display
    KernelState kernel;
    DockerState docker;
    // The kernel's RTM_GETROUTE answers, keyed by destination; absent when not asked.
    std::map<Ipv4Address, KernelRouteAnswer> kernel_answers;
};

}  // namespace pathwhy
