// kernel-drop: packets the kernel freed as dropped outside netfilter's rules (skb:kfree_skb with
// its drop reason), one finding per reason and freeing function, with what the reason means.
// Critical, except without a reason (NOT_SPECIFIED) and for NO_SOCKET of a packet whose
// connection conntrack knew as ESTABLISHED — a straggler after a close, which healthy traffic
// makes — which are warnings.
// Drops that other findings explain are left to them: a NETFILTER_DROP inside a hook the tracer
// saw the packet enter (netfilter-drop) and the neighbour failures (neighbor-unreachable).
#pragma once

#include <vector>

#include "explain/diagnosis.h"

namespace pathwhy {

std::vector<Finding> kernel_drop_findings(const ObservedPath& path);

// Whether neighbor-unreachable already explains a drop with this reason.
bool drop_reason_explained_elsewhere(const std::string& reason);

}  // namespace pathwhy
