// BPF netfilter links (Linux 6.4+) with Debian 12's libbpf 1.1.2, which knows neither
// SEC("netfilter") nor the netfilter fields of BPF_LINK_CREATE: the section is registered with
// libbpf as a custom handler, and links are made with the bpf(2) command directly. A link hooks
// into the network namespace of the calling thread (enter it with NetnsScope first) and lives
// as long as its fd: closing it, or the process dying, detaches it.
#pragma once

#include <cstdint>

#include "model/observed_event.h"

namespace pathwhy {

// Lets libbpf open SEC("netfilter") programs (BPF_PROG_TYPE_NETFILTER, expected attach type
// BPF_NETFILTER). Once per process; call before opening the skeleton. Throws Error.
void register_netfilter_section();

class NetfilterLink {
  public:
    // Attaches `program_fd` to the IPv4 `hook` at `priority`. Throws Error.
    NetfilterLink(int program_fd, NetfilterHook hook, std::int32_t priority);
    ~NetfilterLink();
    NetfilterLink(NetfilterLink&& other) noexcept;
    NetfilterLink& operator=(NetfilterLink&&) = delete;
    NetfilterLink(const NetfilterLink&) = delete;
    NetfilterLink& operator=(const NetfilterLink&) = delete;

    int fd() const { return fd_; }

  private:
    int fd_ = -1;
};

}  // namespace pathwhy
