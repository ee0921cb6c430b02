#include "trace/netfilter_link.h"

#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <utility>

#include "common/error.h"
#include "trace/bpf_compat.h"

namespace pathwhy {

void register_netfilter_section() {
    static std::once_flag once;
    static int result = 0;
    std::call_once(once, [] {
        LIBBPF_OPTS(libbpf_prog_handler_opts, opts);
        // libbpf 1.2+ knows SEC("netfilter") itself; a custom handler takes precedence there.
        result = libbpf_register_prog_handler("netfilter", compat::kBpfProgTypeNetfilter,
                                              compat::kBpfNetfilterAttach, &opts);
    });
    if (result < 0)
        throw Error("register the BPF netfilter section with libbpf", errno_text(result));
}

NetfilterLink::NetfilterLink(int program_fd, NetfilterHook hook, std::int32_t priority) {
    compat::NetfilterLinkCreate create{};
    create.prog_fd = static_cast<std::uint32_t>(program_fd);
    create.attach_type = compat::kBpfNetfilterAttach;
    create.pf = compat::kNfprotoIpv4;
    create.hooknum = static_cast<std::uint32_t>(hook);  // NF_INET_* order
    create.priority = priority;
    union bpf_attr attr;
    std::memset(&attr, 0, sizeof attr);
    std::memcpy(&attr, &create, sizeof create);
    fd_ = static_cast<int>(syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof attr));
    if (fd_ < 0) {
        int err = errno;
        throw Error(fmt::format("attach a BPF netfilter link at {} priority {}",
                                netfilter_hook_name(hook), priority),
                    errno_text(err),
                    err == EPERM   ? "run as root or grant CAP_BPF and CAP_NET_ADMIN"
                    : err == EBUSY ? "another BPF netfilter program holds that priority in this "
                                     "namespace: is another pathwhy tracing it?"
                                   : "");
    }
}

NetfilterLink::~NetfilterLink() {
    if (fd_ >= 0) close(fd_);
}

NetfilterLink::NetfilterLink(NetfilterLink&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

}  // namespace pathwhy
