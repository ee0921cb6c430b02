// Everything the explainer may look at, taken at one instant: the kernel's view of one network
// namespace, Docker's metadata and the kernel's own route answer for the destination.
// Live diagnosis, recordings and test fixtures all produce this same value.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "model/conntrack_entry.h"
#include "model/docker_state.h"
#include "model/kernel_state.h"
#include "model/ruleset.h"

namespace pathwhy {

struct Snapshot {
    std::int64_t taken_at_unix = 0;
    std::string netns;  // what the user asked for ("", a name or a path), for display
    KernelState kernel;
    DockerState docker;
    // The kernel's RTM_GETROUTE answers, keyed by destination; absent when not asked.
    std::map<Ipv4Address, KernelRouteAnswer> kernel_answers;
    // The namespace's iptables rules, read when packets are traced (to name the rule behind a
    // netfilter drop); nullopt when not read.
    std::optional<Ruleset> ruleset;
    // The namespace's conntrack entries, read when the target is a port or a container, and by
    // scan (to find NAT that outlived a redeploy); nullopt when not read.
    std::optional<ConntrackTable> conntrack;
};

}  // namespace pathwhy
