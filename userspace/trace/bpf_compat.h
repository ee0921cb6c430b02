// The BPF and netfilter UAPI that Debian 12's headers (linux-libc-dev 6.1, libbpf 1.1.2) predate:
// BPF netfilter programs and links arrived in Linux 6.4. Values are the kernel's ABI and never
// change; everything that needs them includes this one file.
#pragma once

#include <linux/bpf.h>

#include <cstddef>
#include <cstdint>

namespace pathwhy::compat {

// enum bpf_prog_type / enum bpf_attach_type (Linux 6.4).
inline constexpr auto kBpfProgTypeNetfilter = static_cast<enum bpf_prog_type>(32);
inline constexpr auto kBpfNetfilterAttach = static_cast<enum bpf_attach_type>(45);

// <linux/netfilter.h>: NFPROTO_IPV4.
inline constexpr std::uint32_t kNfprotoIpv4 = 2;

// The BPF_LINK_CREATE part of union bpf_attr as Linux 6.4 lays it out for netfilter links.
struct NetfilterLinkCreate {
    std::uint32_t prog_fd;
    std::uint32_t target_fd;
    std::uint32_t attach_type;
    std::uint32_t flags;
    std::uint32_t pf;
    std::uint32_t hooknum;
    std::int32_t priority;
    std::uint32_t netfilter_flags;
};
static_assert(offsetof(NetfilterLinkCreate, pf) ==
                  offsetof(union bpf_attr, link_create.target_btf_id),
              "netfilter fields overlay link_create's per-type union");
static_assert(sizeof(NetfilterLinkCreate) <= sizeof(union bpf_attr));

}  // namespace pathwhy::compat
