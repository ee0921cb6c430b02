// The running kernel's names for drop reasons: `enum skb_drop_reason` read from its BTF
// (/sys/kernel/btf/vmlinux), because the values differ between kernels — the enum grows in the
// middle. Loaded lazily on the first reason asked.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace pathwhy {

class DropReasons {
  public:
    // "NETFILTER_DROP" for SKB_DROP_REASON_NETFILTER_DROP on this kernel; "reason 123" when the
    // kernel's BTF does not say.
    std::string name(std::uint32_t reason);

  private:
    std::optional<std::map<std::uint32_t, std::string>> names_;
};

// The enumerator without its prefix, as users read it: SKB_DROP_REASON_NEIGH_FAILED ->
// NEIGH_FAILED, SKB_CONSUMED -> CONSUMED.
std::string drop_reason_short_name(const std::string& enumerator);

}  // namespace pathwhy
