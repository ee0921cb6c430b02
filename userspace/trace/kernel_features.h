// What this kernel lets pathwhy attach, probed once and cached: tp_btf per tracepoint, raw_tp,
// BPF netfilter links, ring buffers, kprobes and fentry. One object is made at start, passed to
// the tracer (which picks one of each program's twins with it) and printed by `pathwhy doctor`.
#pragma once

#include <map>
#include <string>

#include "model/kernel_views.h"

namespace pathwhy {

class KernelFeatures {
public:
    // Probes nothing yet: each answer is probed on first use and cached.
    KernelFeatures();

    bool ring_buffer();
    bool tp_btf(const std::string& tracepoint);  // e.g. "fib_table_lookup", "kfree_skb"
    bool raw_tracepoint(const std::string& tracepoint);
    bool netfilter_link();  // BPF_PROG_TYPE_NETFILTER + BPF_LINK_CREATE (Linux 6.4+)
    bool kprobes();
    bool fentry();

    // Which views a tracer built on these features provides, with reasons and losses for the
    // missing ones. `netns` is where netfilter links would be made ("" = ours).
    KernelViews views();

    std::string kernel_release() const;

private:
    std::map<std::string, bool> cache_;
};

}  // namespace pathwhy
