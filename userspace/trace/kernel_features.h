// What this kernel lets pathwhy attach, probed once and cached: tp_btf per tracepoint, raw_tp,
// BPF netfilter links, ring buffers, kprobes and fentry. One object is made at start, passed to
// the tracer (which picks one of each program's twins with it) and printed by `pathwhy doctor`.
// Probes load two-instruction programs that do nothing; only the raw_tp probe attaches one, for
// an instant, since a raw tracepoint is known to exist only once something is attached to it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "model/kernel_views.h"
#include "trace/trace_plan.h"

struct btf;

namespace pathwhy {

class KernelFeatures {
  public:
    // Probes nothing yet: each answer is probed on first use and cached.
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
    bool fentry();  // on nf_hook_slow, the function the fallback would trace
    bool drop_reasons();  // the kernel's BTF has enum skb_drop_reason

    // Every answer the tracer's plan needs (trace_plan.h).
    FeatureAnswers answers();

    // Which views a tracer built on these features provides, with reasons and losses for the
    // missing ones. A tracer's own views() also says what failed to attach.
    KernelViews views();

    std::string kernel_release() const;

  private:
    bool cached(const std::string& key, const std::function<bool()>& probe);
    void require_bpf();
    int vmlinux_type_id(const std::string& name, int btf_kind);

    std::optional<FeatureAnswers> fixed_;
    std::map<std::string, bool> cache_;
    bool bpf_checked_ = false;
    std::shared_ptr<struct btf> vmlinux_btf_;
};

}  // namespace pathwhy
