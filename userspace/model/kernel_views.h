// Which views of the packet path this kernel gives us, and why not when it does not. Probed once
// at start (trace/), printed by `pathwhy doctor`, named in every diagnosis that lacks one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/ruleset.h"

namespace pathwhy {

enum class KernelView {
    route_lookups,
    netfilter_verdicts,
    nat,
    conntrack,
    drops,
    icmp,
    neighbours
};

struct ViewStatus {
    KernelView view = KernelView::route_lookups;
    bool active = false;
    std::string mechanism;  // "tp_btf/fib_table_lookup", "netfilter link", ...
    std::string reason;     // why it is missing ("kernel 6.1 has no BPF netfilter links")
    std::string loss;       // what the user loses without it
};

std::string kernel_view_name(KernelView view);  // "route lookups", "netfilter verdicts", ...
std::string kernel_view_id(KernelView view);    // stable JSON id: "route_lookups", ...

using KernelViews = std::vector<ViewStatus>;

// The fentry and kprobe fallbacks trace nf_hook_slow, which runs only at hooks that have
// something registered in the namespace: a packet passes a hook with nothing there unseen. When
// the netfilter view is had that way, the note that says so for this namespace — naming the
// hooks `ruleset` has no chain at, or the limit in general when the rules are unknown; nullopt
// when the view sees every hook (links) or every hook has a chain.
std::optional<std::string> unseen_hooks_note(const KernelViews& views,
                                             const std::optional<Ruleset>& ruleset);

}  // namespace pathwhy
