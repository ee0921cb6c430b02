// Synthetic packet-tracer events for unit tests: what the BPF programs would report for a packet
// crossing netfilter hooks, a route lookup, a drop, an ICMP error or a neighbour change, with the
// priorities, kinds and field conventions of the real tracer (trace/event_decoder.cpp).
#pragma once

#include <climits>
#include <cstdint>
#include <optional>
#include <string>

#include "model/kernel_views.h"
#include "model/observed_event.h"

namespace pathwhy::test {

inline constexpr int kEntryPriority = INT_MIN + 1;
inline constexpr int kExitPriority = INT_MAX - 1;
inline constexpr std::uint8_t kCtEstablished = 0, kCtNew = 2, kCtEstablishedReply = 3;

FlowTuple tcp(const std::string& src, std::uint16_t sport, const std::string& dst,
              std::uint16_t dport);
FlowTuple icmp(const std::string& src, const std::string& dst, std::uint16_t id);

// Times are microseconds since an arbitrary start.
ObservedEvent hook(std::uint64_t us, std::uint64_t skb, NetfilterHook hook, HookEdge edge,
                   const FlowTuple& packet, int in, int out,
                   std::optional<std::uint8_t> ctinfo = std::nullopt);
ObservedEvent lookup(std::uint64_t us, const FlowTuple& flow, std::uint32_t table, int nexthop,
                     int iif = 1, int error = 0);
ObservedEvent drop(std::uint64_t us, std::uint64_t skb, const FlowTuple& packet,
                   const std::string& reason, const std::string& location, int out = 0);
ObservedEvent icmp_error(std::uint64_t us, std::uint64_t skb, const FlowTuple& packet,
                         std::uint8_t type, std::uint8_t code, int out = 0);
ObservedEvent neighbour(std::uint64_t us, const std::string& address, int ifindex,
                        std::uint16_t old_state, std::uint16_t new_state);

// Every view active, as on this machine's 6.18 kernel.
KernelViews all_views();
// Every view active but `missing`, which is missing for `reason`.
KernelViews views_without(KernelView missing, const std::string& reason);

}  // namespace pathwhy::test
