// The choice of what the packet tracer loads, made from what the kernel allows: for each
// tracepoint one of its twins (tp_btf, else raw_tp), for netfilter verdicts BPF netfilter links
// (Linux 6.4+), else fentry/fexit, else kprobe/kretprobe on nf_hook_slow — and the kernel views
// that choice gives, each missing or degraded one with its reason and what the user loses.
// Pure: the answers come in as plain values, so the choice for kernels we do not run on
// (Debian 12's 6.1, kernels without BTF) is unit-tested.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/kernel_views.h"

namespace pathwhy {

enum class Attach { none, tp_btf, raw_tp, netfilter_link, fentry, kprobe };

// What KernelFeatures probed, as values.
struct FeatureAnswers {
    std::string kernel_release;  // uname -r
    bool ring_buffer = false;
    std::map<std::string, bool> tp_btf;          // by tracepoint name, e.g. "kfree_skb"
    std::map<std::string, bool> raw_tracepoint;  // by tracepoint name
    bool netfilter_link = false;
    // kfree_skb says why (enum skb_drop_reason, Linux 5.17+): before that its third argument,
    // which the drop programs read, does not exist.
    bool drop_reasons = false;
    bool fentry = false;  // on nf_hook_slow
    bool kprobes = false;
    // Why a "no" above is no, when more is known than the absence: a probe's error, the test
    // switch (PATHWHY_TEST_REFUSE), or a program that failed to load or attach. Keyed by
    // mechanism_key(): "netfilter_link", "fentry", "kprobes", "tp_btf/kfree_skb", ...
    std::map<std::string, std::string> refusals;
};

// A tracepoint the tracer uses, the names of its twin programs in the BPF object, and the view
// it serves.
struct TracepointUse {
    std::string tracepoint;
    std::string tp_btf_program;
    std::string raw_tp_program;
    KernelView view;
};
const std::vector<TracepointUse>& traced_tracepoints();

// The netfilter hook programs: SEC("netfilter") ones for links, then the fallbacks' pairs.
struct HookProgramPair {
    std::string entry;
    std::string exit;
};
HookProgramPair hook_programs(Attach mechanism);  // netfilter_link, fentry or kprobe

struct PlannedProgram {
    std::string program;  // name in the BPF object
    Attach attach = Attach::none;
    std::string target;  // tracepoint or kernel function; "" for netfilter links
    KernelView view = KernelView::route_lookups;  // the view it serves (netfilter: verdicts)
};

struct TracePlan {
    std::vector<PlannedProgram> programs;  // to load; every other program in the object is not
    Attach netfilter = Attach::none;       // the first of netfilter_candidates: what views show
    // Every netfilter mechanism the answers allow, preferred first. Each one's pair is loaded,
    // and the tracer attaches them in this order until one attaches: a pair that loads but
    // fails to attach falls back to the next without a second load of everything.
    std::vector<Attach> netfilter_candidates;
    KernelViews views;  // one per KernelView, in enum order
};

TracePlan plan_trace(const FeatureAnswers& answers);

// The answer a program rests on, as FeatureAnswers' refusals and PATHWHY_TEST_REFUSE name it:
// "tp_btf/kfree_skb", "raw_tp/fib_table_lookup", "netfilter_link", "fentry", "kprobes".
std::string mechanism_key(const PlannedProgram& program);
std::string mechanism_key(Attach netfilter_mechanism);
// Turns the answer `program` rests on into a "no", with `reason`: what the tracer does when the
// program fails to load or attach, before planning again.
void refuse(FeatureAnswers& answers, const PlannedProgram& program, const std::string& reason);
void refuse(FeatureAnswers& answers, Attach netfilter_mechanism, const std::string& reason);

// "tp_btf", "raw_tp", "netfilter link", "fentry", "kprobe", "none".
std::string attach_name(Attach attach);

// What the user loses without `view`; for netfilter verdicts it depends on whether drops are
// still seen.
std::string loss_without(KernelView view, bool drops_seen);

// The views a netfilter program serves: verdicts, NAT and conntrack.
bool served_by_netfilter_programs(KernelView view);

}  // namespace pathwhy
