// What this kernel lets pathwhy attach, probed once and cached: tp_btf per tracepoint, raw_tp,
// BPF netfilter links, ring buffers, kprobes and fentry. One object is made at start, passed to
// the tracer (which picks one of each program's twins with it) and printed by `pathwhy doctor`.
// Probes load two-instruction programs that do nothing; those for raw_tp, fentry and kprobes
// also attach them, for an instant, since a kernel may load a program it then will not attach
// (a raw tracepoint that does not exist, a trampoline refused, a function kprobes may not
// touch). PATHWHY_TEST_REFUSE (test_refusals.h), read when the object is made, lets tests
// refuse mechanisms the kernel has.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "model/kernel_views.h"
#include "trace/trace_plan.h"

struct btf;

namespace pathwhy {

class KernelFeatures {
  public:
    // Probes nothing yet: each answer is probed on first use and cached. Reads
    // PATHWHY_TEST_REFUSE; throws Error when it names something that is not a mechanism.
    KernelFeatures();
    // Takes these answers instead of probing: for tests, and to try a fallback on a kernel that
    // has the preferred mechanism.
    explicit KernelFeatures(FeatureAnswers fixed);

    // Each probe throws Error (with a privileges hint) when the kernel refuses BPF to this
    // process altogether; otherwise it answers.
    bool ring_buffer();
    bool tp_btf(const std::string& tracepoint);  // e.g. "fib_table_lookup", "kfree_skb"
    bool raw_tracepoint(const std::string& tracepoint);
    bool netfilter_link();  // BPF_PROG_TYPE_NETFILTER + BPF_LINK_CREATE (Linux 6.4+)
    bool kprobes();
    bool fentry();        // on nf_hook_slow, the function the fallback would trace
    bool drop_reasons();  // the kernel's BTF has enum skb_drop_reason

    // Why the probe `key` ("fentry", "kprobes", "netfilter_link", "tp_btf/kfree_skb", ...)
    // answered no, as far as it knows: "" when it answered yes, or was not asked.
    std::string why_not(const std::string& key) const;

    // Every answer the tracer's plan needs (trace_plan.h).
    FeatureAnswers answers();

    // Which views a tracer built on these features provides, with reasons and losses for the
    // missing ones. A tracer's own views() also says what failed to attach.
    KernelViews views();

    std::string kernel_release() const;

    // A probe's answer: yes, or no with what failed ("" when there is nothing to say beyond
    // the absence).
    struct Probe {
        bool usable = false;
        std::string why_not;
    };

  private:
    bool cached(const std::string& key, const std::function<Probe()>& probe);
    void require_bpf();
    int vmlinux_type_id(const std::string& name, int btf_kind);

    std::optional<FeatureAnswers> fixed_;
    std::set<std::string> refused_;  // by PATHWHY_TEST_REFUSE
    std::map<std::string, Probe> cache_;
    bool bpf_checked_ = false;
    std::shared_ptr<struct btf> vmlinux_btf_;
};

}  // namespace pathwhy
