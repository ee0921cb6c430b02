// Follows packets through the kernel for the diagnosed namespace: route lookups, netfilter hooks
// (entry and exit priority, with conntrack/NAT), drops with their reason, ICMP errors sent and
// neighbour state changes — filtered in the kernel to the watched prefixes, one ring buffer.
// Programs are attached in the constructor and detached in the destructor (and by the kernel if
// the process dies: every attachment is an fd-owned link).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/ipv4.h"
#include "model/kernel_views.h"
#include "model/observed_event.h"
#include "trace/kernel_features.h"

namespace pathwhy {

struct PacketTraceFilter {
    std::string netns;              // "" = pathwhy's own; a name or path as for --netns
    std::vector<Ipv4Cidr> watched;  // a packet matches when its source OR destination does
                                    // (at most 64; none: nothing is reported)
};

// One program the tracer attached, with the kernel's ids as `bpftool prog/link list` shows them.
struct TraceAttachment {
    std::string program;  // "pw_hook_entry", "pw_kfree_skb_btf", ...
    std::string target;   // "tp_btf/kfree_skb", "netfilter PREROUTING priority -2147483647"
    std::uint32_t program_id = 0;
    std::uint32_t link_id = 0;
};

class PacketTracer {
  public:
    // Loads and attaches what `features` allows; views that cannot be had are reported by
    // views(), not thrown. A program the kernel will not load costs only what rests on it (a
    // tp_btf program gives way to its raw_tp twin), and the netfilter mechanisms are tried in
    // order at attach time: links, fentry/fexit, kprobe/kretprobe. Throws Error only when
    // nothing at all can be traced (no BPF rights, no ring buffer) or the filter is unusable
    // (no such namespace, more than 64 prefixes).
    PacketTracer(KernelFeatures& features, const PacketTraceFilter& filter);
    ~PacketTracer();
    PacketTracer(const PacketTracer&) = delete;
    PacketTracer& operator=(const PacketTracer&) = delete;

    // The features' views, less what failed to attach here (e.g. netfilter links refused in
    // the namespace), each with its reason.
    const KernelViews& views() const;
    // Every mechanism that was refused — by a probe, the test switch, or because its program
    // failed to load or attach here — with why, keyed as FeatureAnswers::refusals.
    const std::map<std::string, std::string>& refusals() const;
    // What is attached, for `pathwhy doctor`, the overhead benchmark and the cleanup tests.
    const std::vector<TraceAttachment>& attachments() const;
    // Inode of the traced namespace, as events carry it.
    std::uint32_t netns_inode() const;

    using Handler = std::function<void(const ObservedEvent&)>;
    // Delivers queued events, waiting up to `timeout` for the first. Returns how many.
    int poll(std::chrono::milliseconds timeout, const Handler& handler);

    // Events the kernel could not queue (ring buffer full): shown to the user, never hidden.
    std::uint64_t lost_events() const;

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace pathwhy
