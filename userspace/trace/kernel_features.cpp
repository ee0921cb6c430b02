// Each probe is the cheapest thing that fails exactly when the real program would: loading a
// two-instruction program of the same type against the same BTF target (as bcc's probe_tp_btf
// does), and for raw_tp, fentry and kprobes attaching it for an instant. Nothing stays
// attached; every fd is closed.
#include "trace/kernel_features.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "trace/bpf_compat.h"
#include "trace/test_refusals.h"

namespace pathwhy {

namespace {

constexpr const char* kPrivilegesHint =
    "run as root or grant CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN";
// The function the netfilter fallbacks trace: it runs a hook's registered functions.
constexpr const char* kHookFunction = "nf_hook_slow";
constexpr const char* kKprobeEventSource = "/sys/bus/event_source/devices/kprobe/type";

using Probe = KernelFeatures::Probe;

class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    bool ok() const { return fd_ >= 0; }

  private:
    int fd_;
};

// r0 = return_value; exit
int load_trivial(enum bpf_prog_type type, int return_value, bpf_prog_load_opts* opts) {
    const bpf_insn program[] = {
        {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, return_value},
        {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
    };
    return bpf_prog_load(type, nullptr, "GPL", program, 2, opts);
}

bool loads_against_btf(int btf_id, enum bpf_attach_type attach_type) {
    if (btf_id <= 0) return false;
    LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = attach_type,
                .attach_btf_id = static_cast<__u32>(btf_id));
    return Fd(load_trivial(BPF_PROG_TYPE_TRACING, 0, &opts)).ok();
}

Probe probe_raw_tracepoint(const std::string& tracepoint) {
    Fd program(load_trivial(BPF_PROG_TYPE_RAW_TRACEPOINT, 0, nullptr));
    return {program.ok() && Fd(bpf_raw_tracepoint_open(tracepoint.c_str(), program.get())).ok(),
            ""};
}

// Netfilter programs and links arrived together (6.4): a kernel that loads the program type
// with the netfilter attach type makes links. The program returns NF_ACCEPT and is never linked.
Probe probe_netfilter_link() {
    LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = compat::kBpfNetfilterAttach);
    return {Fd(load_trivial(compat::kBpfProgTypeNetfilter, 1, &opts)).ok(), ""};
}

// A trampoline on nf_hook_slow, attached and detached at once. Some kernels load tracing
// programs but refuse the trampoline (lockdown, a trampoline already full, no
// CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS): only attaching says.
Probe probe_fentry(int btf_id) {
    if (btf_id <= 0) return {false, "the kernel's BTF has no function nf_hook_slow"};
    LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY,
                .attach_btf_id = static_cast<__u32>(btf_id));
    Fd program(load_trivial(BPF_PROG_TYPE_TRACING, 0, &opts));
    if (!program.ok()) return {false, "loading an fentry program: " + errno_text(errno)};
    // With no name, raw_tracepoint_open attaches a tracing program at its BTF target (5.5+).
    Fd link(bpf_raw_tracepoint_open(nullptr, program.get()));
    if (!link.ok()) return {false, "attaching an fentry program: " + errno_text(errno)};
    return {true, ""};
}

// A kprobe on nf_hook_slow made through the kprobe event source, as libbpf makes them, with a
// program attached to it for an instant.
Probe probe_kprobes() {
    std::ifstream source(kKprobeEventSource);
    int type = -1;
    if (!(source >> type))
        return {false, std::string("no kprobe event source (") + kKprobeEventSource +
                           "): CONFIG_KPROBES or CONFIG_KPROBE_EVENTS off"};
    Fd program(load_trivial(BPF_PROG_TYPE_KPROBE, 0, nullptr));
    if (!program.ok()) return {false, "loading a kprobe program: " + errno_text(errno)};
    perf_event_attr attr{};
    attr.size = sizeof attr;
    attr.type = static_cast<__u32>(type);
    attr.config1 = reinterpret_cast<__u64>(kHookFunction);  // kprobe_func
    attr.config2 = 0;                                       // offset
    Fd event(
        static_cast<int>(syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC)));
    if (!event.ok()) return {false, "creating a kprobe on nf_hook_slow: " + errno_text(errno)};
    if (ioctl(event.get(), PERF_EVENT_IOC_SET_BPF, program.get()) != 0)
        return {false, "attaching a program to a kprobe on nf_hook_slow: " + errno_text(errno)};
    return {true, ""};
}

Probe yes_or_no(bool usable) { return {usable, ""}; }

}  // namespace

KernelFeatures::KernelFeatures() {
    if (const char* refused = std::getenv(kTestRefuseVariable))
        refused_ = parse_test_refusals(refused);
}

KernelFeatures::KernelFeatures(FeatureAnswers fixed) : fixed_(std::move(fixed)) {}

// An array map is the least BPF there is: if it is refused, every probe would say "no" for want
// of privileges, and the user must hear that instead of a list of missing features.
void KernelFeatures::require_bpf() {
    if (bpf_checked_) return;
    Fd map(bpf_map_create(BPF_MAP_TYPE_ARRAY, nullptr, 4, 4, 1, nullptr));
    if (!map.ok() && (errno == EPERM || errno == EACCES))
        throw Error("use BPF", errno_text(errno), kPrivilegesHint);
    bpf_checked_ = true;
}

bool KernelFeatures::cached(const std::string& key, const std::function<Probe()>& probe) {
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second.usable;
    if (covers(refused_, key)) {
        cache_[key] = {false,
                       std::string("refused by ") + kTestRefuseVariable + ", a switch for tests"};
        return false;
    }
    require_bpf();
    return (cache_[key] = probe()).usable;
}

std::string KernelFeatures::why_not(const std::string& key) const {
    if (fixed_) {
        auto it = fixed_->refusals.find(key);
        return it == fixed_->refusals.end() ? "" : it->second;
    }
    auto it = cache_.find(key);
    return it == cache_.end() || it->second.usable ? "" : it->second.why_not;
}

// Loaded once for all BTF lookups: parsing the kernel's BTF is the slow part of probing.
int KernelFeatures::vmlinux_type_id(const std::string& name, int btf_kind) {
    if (!vmlinux_btf_) {
        vmlinux_btf_ = std::shared_ptr<btf>(btf__load_vmlinux_btf(), btf__free);
        if (!vmlinux_btf_) return -1;
    }
    return btf__find_by_name_kind(vmlinux_btf_.get(), name.c_str(), btf_kind);
}

bool KernelFeatures::ring_buffer() {
    if (fixed_) return fixed_->ring_buffer;
    return cached("ring_buffer", [] {
        return yes_or_no(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, nullptr) == 1);
    });
}

bool KernelFeatures::tp_btf(const std::string& tracepoint) {
    if (fixed_) return fixed_->tp_btf[tracepoint];
    // A tracepoint's BTF is the typedef btf_trace_<name> of its probe function.
    return cached("tp_btf/" + tracepoint, [&] {
        return yes_or_no(loads_against_btf(
            vmlinux_type_id("btf_trace_" + tracepoint, BTF_KIND_TYPEDEF), BPF_TRACE_RAW_TP));
    });
}

bool KernelFeatures::raw_tracepoint(const std::string& tracepoint) {
    if (fixed_) return fixed_->raw_tracepoint[tracepoint];
    return cached("raw_tp/" + tracepoint, [&] { return probe_raw_tracepoint(tracepoint); });
}

bool KernelFeatures::netfilter_link() {
    if (fixed_) return fixed_->netfilter_link;
    return cached("netfilter_link", probe_netfilter_link);
}

bool KernelFeatures::kprobes() {
    if (fixed_) return fixed_->kprobes;
    return cached("kprobes", probe_kprobes);
}

bool KernelFeatures::fentry() {
    if (fixed_) return fixed_->fentry;
    return cached("fentry",
                  [&] { return probe_fentry(vmlinux_type_id(kHookFunction, BTF_KIND_FUNC)); });
}

bool KernelFeatures::drop_reasons() {
    if (fixed_) return fixed_->drop_reasons;
    return cached("drop_reasons",
                  [&] { return yes_or_no(vmlinux_type_id("skb_drop_reason", BTF_KIND_ENUM) > 0); });
}

FeatureAnswers KernelFeatures::answers() {
    if (fixed_) {
        FeatureAnswers answers = *fixed_;
        answers.kernel_release = kernel_release();
        return answers;
    }
    FeatureAnswers answers;
    answers.kernel_release = kernel_release();
    answers.ring_buffer = ring_buffer();
    for (const auto& use : traced_tracepoints()) {
        answers.tp_btf[use.tracepoint] = tp_btf(use.tracepoint);
        answers.raw_tracepoint[use.tracepoint] = raw_tracepoint(use.tracepoint);
    }
    answers.netfilter_link = netfilter_link();
    answers.drop_reasons = drop_reasons();
    answers.fentry = fentry();
    answers.kprobes = kprobes();
    // The plan words an absent tracepoint or netfilter link itself; a refusal with a reason is
    // passed on so that the views can say it.
    for (const auto& [key, probe] : cache_)
        if (!probe.usable && !probe.why_not.empty()) answers.refusals[key] = probe.why_not;
    return answers;
}

KernelViews KernelFeatures::views() { return plan_trace(answers()).views; }

std::string KernelFeatures::kernel_release() const {
    if (fixed_ && !fixed_->kernel_release.empty()) return fixed_->kernel_release;
    struct utsname name {};
    if (uname(&name) != 0) return "";
    return name.release;
}

}  // namespace pathwhy
