// netfilter-drop: packets that entered a netfilter hook and never left it. Names the hook, the
// tables registered in it between the tracer's two programs (raw -300, mangle -150, filter 0,
// security 50 ...), and — when the namespace's ruleset could be read — the rule or policy that
// most likely dropped the packet, with what Docker means by its chains: isolation between bridge
// networks, the FORWARD policy DROP, DOCKER-USER (the user's own), direct routing to containers.
#pragma once

#include <vector>

#include "explain/diagnosis.h"
#include "model/snapshot.h"

namespace pathwhy {

// One finding per place (hook, devices, rule) where observed packets died.
// `conntrack_seen`: the tracer's conntrack view was active, so a packet without an entry at the
// hook really had none (conntrack state INVALID) rather than an unknown one.
std::vector<Finding> netfilter_drop_findings(const Snapshot& snapshot, const ObservedPath& path,
                                             bool conntrack_seen);

}  // namespace pathwhy
