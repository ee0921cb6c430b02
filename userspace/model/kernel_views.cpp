#include "model/kernel_views.h"

#include <algorithm>

namespace pathwhy {

std::string kernel_view_name(KernelView view) {
    switch (view) {
        case KernelView::route_lookups:
            return "route lookups";
        case KernelView::netfilter_verdicts:
            return "netfilter verdicts";
        case KernelView::nat:
            return "NAT";
        case KernelView::conntrack:
            return "conntrack";
        case KernelView::drops:
            return "drops";
        case KernelView::icmp:
            return "ICMP errors";
        case KernelView::neighbours:
            return "neighbours";
    }
    return "?";
}

std::string kernel_view_id(KernelView view) {
    switch (view) {
        case KernelView::route_lookups:
            return "route_lookups";
        case KernelView::netfilter_verdicts:
            return "netfilter_verdicts";
        case KernelView::nat:
            return "nat";
        case KernelView::conntrack:
            return "conntrack";
        case KernelView::drops:
            return "drops";
        case KernelView::icmp:
            return "icmp";
        case KernelView::neighbours:
            return "neighbours";
    }
    return "?";
}

}  // namespace pathwhy

namespace pathwhy {

std::optional<std::string> unseen_hooks_note(const KernelViews& views,
                                             const std::optional<Ruleset>& ruleset) {
    auto verdicts = std::find_if(views.begin(), views.end(), [](const ViewStatus& s) {
        return s.view == KernelView::netfilter_verdicts;
    });
    // The fallbacks' mechanism names the function they trace (trace/trace_plan.cpp).
    if (verdicts == views.end() || !verdicts->active ||
        verdicts->mechanism.find("on nf_hook_slow") == std::string::npos)
        return std::nullopt;
    const std::string how = verdicts->mechanism;
    if (!ruleset || !ruleset->error.empty())
        return how +
               " sees a netfilter hook only when something is registered at it in the "
               "namespace: packets may pass hooks with no rule unseen";
    std::string unseen;
    for (NetfilterHook hook :
         {NetfilterHook::prerouting, NetfilterHook::local_in, NetfilterHook::forward,
          NetfilterHook::local_out, NetfilterHook::postrouting}) {
        bool has_chain = false;
        for (const auto& table : ruleset->tables)
            for (const auto& chain : table.chains) has_chain |= chain.hook == hook;
        if (!has_chain) unseen += (unseen.empty() ? "" : ", ") + netfilter_hook_name(hook);
    }
    if (unseen.empty()) return std::nullopt;
    return "no chain at " + unseen + " in this namespace: " + how +
           " sees only hooks with something registered, so packets pass there unseen (unless "
           "conntrack hooks them)";
}

}  // namespace pathwhy
