#include "trace/trace_plan.h"

#include <fmt/format.h>

#include <algorithm>

namespace pathwhy {

namespace {

const std::string kNeighbourTracepoints =
    "neigh_event_send_done, neigh_timer_handler, neigh_update_done";

// Tracepoints that appeared after BPF ring buffers (5.8), named so that a reader of an old
// kernel knows an upgrade would help.
std::string since(const std::string& tracepoint) {
    if (tracepoint == "icmp_send") return " (Linux 6.13+)";
    return "";
}

std::string kernel(const FeatureAnswers& answers) {
    return "kernel " + (answers.kernel_release.empty() ? std::string("?") : answers.kernel_release);
}

bool answer(const std::map<std::string, bool>& answers, const std::string& key) {
    auto it = answers.find(key);
    return it != answers.end() && it->second;
}

ViewStatus& status_of(KernelViews& views, KernelView view) {
    return *std::find_if(views.begin(), views.end(),
                         [view](const ViewStatus& status) { return status.view == view; });
}

const std::string* refusal(const FeatureAnswers& answers, const std::string& key) {
    auto it = answers.refusals.find(key);
    return it == answers.refusals.end() ? nullptr : &it->second;
}

// "pw_kfree_skb_btf failed to load: ..." for each twin that was refused, joined.
std::string twin_refusals(const FeatureAnswers& answers, const TracepointUse& use) {
    std::string joined;
    for (const std::string& key : {"tp_btf/" + use.tracepoint, "raw_tp/" + use.tracepoint})
        if (const std::string* why = refusal(answers, key))
            joined += (joined.empty() ? "" : "; ") + *why;
    return joined;
}

void plan_tracepoints(const FeatureAnswers& answers, TracePlan& plan) {
    for (const auto& use : traced_tracepoints()) {
        ViewStatus& status = status_of(plan.views, use.view);
        if (!status.active) continue;  // a view's other tracepoint already cost it
        Attach chosen = answer(answers.tp_btf, use.tracepoint)           ? Attach::tp_btf
                        : answer(answers.raw_tracepoint, use.tracepoint) ? Attach::raw_tp
                                                                         : Attach::none;
        if (use.tracepoint == "kfree_skb" && !answers.drop_reasons) {
            status.active = false;
            status.reason =
                fmt::format("{}'s kfree_skb carries no drop reason (Linux 5.17+)", kernel(answers));
            continue;
        }
        const std::string refused = twin_refusals(answers, use);
        if (chosen == Attach::none) {
            // One missing tracepoint costs the whole view: each one covers transitions the
            // others do not.
            status.active = false;
            status.reason =
                refused.empty()
                    ? fmt::format("{} has no tracepoint {} that BPF can attach to{}",
                                  kernel(answers), use.tracepoint, since(use.tracepoint))
                    : fmt::format("{}: {}", kernel(answers), refused);
            continue;
        }
        plan.programs.push_back({chosen == Attach::tp_btf ? use.tp_btf_program : use.raw_tp_program,
                                 chosen, use.tracepoint, use.view});
        if (chosen == Attach::raw_tp && !refused.empty())
            status.reason = refused + ": the raw_tp twin instead";
        std::string mechanism =
            attach_name(chosen) + "/" +
            (use.view == KernelView::neighbours ? kNeighbourTracepoints : use.tracepoint);
        // The neighbour view needs all its tracepoints; its mechanism is said once.
        if (status.mechanism.empty() || use.view != KernelView::neighbours)
            status.mechanism = mechanism;
    }
    // A view that lost a tracepoint loads none of its programs.
    std::erase_if(plan.programs,
                  [&](const PlannedProgram& p) { return !status_of(plan.views, p.view).active; });
}

void plan_netfilter(const FeatureAnswers& answers, TracePlan& plan) {
    if (answers.netfilter_link) plan.netfilter_candidates.push_back(Attach::netfilter_link);
    if (answers.fentry) plan.netfilter_candidates.push_back(Attach::fentry);
    if (answers.kprobes) plan.netfilter_candidates.push_back(Attach::kprobe);
    plan.netfilter =
        plan.netfilter_candidates.empty() ? Attach::none : plan.netfilter_candidates.front();
    const std::string* links_refused = refusal(answers, "netfilter_link");
    const std::string* fentry_refused = refusal(answers, "fentry");
    const std::string* kprobes_refused = refusal(answers, "kprobes");
    const std::string no_links =
        links_refused
            ? fmt::format("{}: no BPF netfilter links ({})", kernel(answers), *links_refused)
            : fmt::format("{} has no BPF netfilter links (Linux 6.4+)", kernel(answers));
    // nf_hook_slow runs only for hooks that have something registered in the namespace.
    const std::string whole_hook_loss =
        "hooks with no rule at all in the namespace are not seen (nf_hook_slow only runs for "
        "hooks that have some)";
    for (KernelView view :
         {KernelView::netfilter_verdicts, KernelView::nat, KernelView::conntrack}) {
        ViewStatus& status = status_of(plan.views, view);
        switch (plan.netfilter) {
            case Attach::netfilter_link:
                status.mechanism = view == KernelView::netfilter_verdicts
                                       ? "BPF netfilter links at priorities INT_MIN+1 and "
                                         "INT_MAX-1 of each IPv4 hook"
                                   : view == KernelView::nat
                                       ? "addresses at hook entry vs exit (BPF netfilter links)"
                                       : "skb->_nfct at each hook (BPF netfilter links)";
                break;
            case Attach::fentry:
                status.mechanism = "fentry/fexit on nf_hook_slow";
                status.reason = no_links + ": fentry/fexit on nf_hook_slow instead";
                status.loss = whole_hook_loss;
                break;
            case Attach::kprobe:
                status.mechanism = "kprobe/kretprobe on nf_hook_slow";
                status.reason = no_links +
                                (fentry_refused ? "; fentry on nf_hook_slow: " + *fentry_refused
                                                : std::string(" and refuses fentry")) +
                                ": kprobe/kretprobe on nf_hook_slow instead";
                status.loss = whole_hook_loss +
                              "; hook calls nested more than 8 deep on one CPU are not reported";
                break;
            default: {
                status.active = false;
                status.reason = no_links + ", and neither fentry nor kprobes";
                std::string details;
                if (fentry_refused) details = "fentry: " + *fentry_refused;
                if (kprobes_refused)
                    details += (details.empty() ? "" : "; ") + ("kprobes: " + *kprobes_refused);
                if (!details.empty()) status.reason += " (" + details + ")";
            }
        }
    }
    const std::string target = "nf_hook_slow";
    for (Attach candidate : plan.netfilter_candidates) {
        HookProgramPair pair = hook_programs(candidate);
        const std::string on = candidate == Attach::netfilter_link ? "" : target;
        plan.programs.push_back({pair.entry, candidate, on, KernelView::netfilter_verdicts});
        plan.programs.push_back({pair.exit, candidate, on, KernelView::netfilter_verdicts});
    }
}

}  // namespace

const std::vector<TracepointUse>& traced_tracepoints() {
    static const std::vector<TracepointUse> uses{
        {"fib_table_lookup", "pw_fib_btf", "pw_fib_raw", KernelView::route_lookups},
        {"kfree_skb", "pw_kfree_skb_btf", "pw_kfree_skb_raw", KernelView::drops},
        {"icmp_send", "pw_icmp_send_btf", "pw_icmp_send_raw", KernelView::icmp},
        {"neigh_event_send_done", "pw_neigh_send_btf", "pw_neigh_send_raw", KernelView::neighbours},
        {"neigh_timer_handler", "pw_neigh_timer_btf", "pw_neigh_timer_raw", KernelView::neighbours},
        {"neigh_update_done", "pw_neigh_update_btf", "pw_neigh_update_raw", KernelView::neighbours},
    };
    return uses;
}

HookProgramPair hook_programs(Attach mechanism) {
    switch (mechanism) {
        case Attach::netfilter_link:
            return {"pw_hook_entry", "pw_hook_exit"};
        case Attach::fentry:
            return {"pw_hook_slow_entry", "pw_hook_slow_exit"};
        case Attach::kprobe:
            return {"pw_hook_slow_kprobe", "pw_hook_slow_kretprobe"};
        default:
            return {};
    }
}

TracePlan plan_trace(const FeatureAnswers& answers) {
    TracePlan plan;
    for (KernelView view :
         {KernelView::route_lookups, KernelView::netfilter_verdicts, KernelView::nat,
          KernelView::conntrack, KernelView::drops, KernelView::icmp, KernelView::neighbours})
        plan.views.push_back({view, true, "", "", ""});

    if (!answers.ring_buffer) {
        // Every program writes to the ring buffer: without it nothing is loaded.
        for (auto& status : plan.views) {
            status.active = false;
            status.reason = kernel(answers) + " has no BPF ring buffer (Linux 5.8+)";
        }
    } else {
        plan_tracepoints(answers, plan);
        plan_netfilter(answers, plan);
    }
    const bool drops_seen = status_of(plan.views, KernelView::drops).active;
    for (auto& status : plan.views)
        if (!status.active) {
            status.mechanism.clear();
            status.loss = loss_without(status.view, drops_seen);
        }
    return plan;
}

std::string attach_name(Attach attach) {
    switch (attach) {
        case Attach::none:
            return "none";
        case Attach::tp_btf:
            return "tp_btf";
        case Attach::raw_tp:
            return "raw_tp";
        case Attach::netfilter_link:
            return "netfilter link";
        case Attach::fentry:
            return "fentry";
        case Attach::kprobe:
            return "kprobe";
    }
    return "?";
}

std::string loss_without(KernelView view, bool drops_seen) {
    switch (view) {
        case KernelView::route_lookups:
            return "which routing tables the kernel consulted for each packet and what each "
                   "answered (the static diagnosis still asks the kernel for the route)";
        case KernelView::netfilter_verdicts:
            return drops_seen ? "drops still show as kfree_skb NETFILTER_DROP, but not which hook"
                              : "packets dropped by iptables/nftables rules are not seen";
        case KernelView::nat:
            return "NAT rewrites (Docker's DNAT to containers, MASQUERADE) are not seen on the "
                   "packet path";
        case KernelView::conntrack:
            return "which conntrack entry (state, original and reply tuples, NAT bits) each "
                   "packet belonged to";
        case KernelView::drops:
            return "where and why the kernel dropped a packet (drop reason and function)";
        case KernelView::icmp:
            return "the ICMP errors the kernel sent back, e.g. host unreachable after a failed "
                   "ARP, which applications report as \"No route to host\"";
        case KernelView::neighbours:
            return "ARP resolution failing for a next hop (neighbour INCOMPLETE -> FAILED)";
    }
    return "";
}

std::string mechanism_key(Attach netfilter_mechanism) {
    switch (netfilter_mechanism) {
        case Attach::netfilter_link:
            return "netfilter_link";
        case Attach::fentry:
            return "fentry";
        case Attach::kprobe:
            return "kprobes";
        default:
            return attach_name(netfilter_mechanism);
    }
}

std::string mechanism_key(const PlannedProgram& program) {
    if (program.attach == Attach::tp_btf || program.attach == Attach::raw_tp)
        return attach_name(program.attach) + "/" + program.target;
    return mechanism_key(program.attach);
}

void refuse(FeatureAnswers& answers, Attach netfilter_mechanism, const std::string& reason) {
    switch (netfilter_mechanism) {
        case Attach::netfilter_link:
            answers.netfilter_link = false;
            break;
        case Attach::fentry:
            answers.fentry = false;
            break;
        case Attach::kprobe:
            answers.kprobes = false;
            break;
        default:
            return;
    }
    answers.refusals[mechanism_key(netfilter_mechanism)] = reason;
}

void refuse(FeatureAnswers& answers, const PlannedProgram& program, const std::string& reason) {
    if (program.attach == Attach::tp_btf) {
        answers.tp_btf[program.target] = false;
    } else if (program.attach == Attach::raw_tp) {
        answers.raw_tracepoint[program.target] = false;
    } else {
        refuse(answers, program.attach, reason);
        return;
    }
    answers.refusals[mechanism_key(program)] = reason;
}

bool served_by_netfilter_programs(KernelView view) {
    return view == KernelView::netfilter_verdicts || view == KernelView::nat ||
           view == KernelView::conntrack;
}

}  // namespace pathwhy
