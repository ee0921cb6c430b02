#include "trace/fib_lookup_tracer.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "common/error.h"
#include "events.h"
#include "fib.skel.h"
#include "trace/libbpf_log.h"

static_assert(sizeof(pw_event_header) == 16, "event header layout is shared with BPF");
static_assert(sizeof(pw_fib_lookup_event) == 64, "fib lookup event layout is shared with BPF");

namespace pathwhy {

namespace {

constexpr const char* kPrivilegesHint = "run as root or grant CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN";

FibLookup decode(const pw_fib_lookup_event& raw) {
    FibLookup lookup;
    lookup.timestamp_ns = raw.header.timestamp_ns;
    lookup.netns_inode = raw.header.netns_inode;
    lookup.table = raw.table_id;
    lookup.error = raw.error;
    lookup.source = Ipv4Address::from_network_order(raw.saddr);
    lookup.destination = Ipv4Address::from_network_order(raw.daddr);
    if (raw.gateway) lookup.gateway = Ipv4Address::from_network_order(raw.gateway);
    lookup.input_ifindex = raw.iif;
    lookup.requested_oif = raw.oif;
    lookup.nexthop_ifindex = raw.nexthop_oif;
    lookup.mark = raw.mark;
    lookup.protocol = raw.protocol;
    lookup.tos = raw.tos;
    lookup.source_port = raw.sport;
    lookup.destination_port = raw.dport;
    return lookup;
}

}  // namespace

struct FibLookupTracer::State {
    fib* skeleton = nullptr;
    ring_buffer* ring = nullptr;
    const Handler* handler = nullptr;

    ~State() {
        ring_buffer__free(ring);
        fib__destroy(skeleton);  // detaches the link and closes every fd
    }

    static int on_sample(void* context, void* data, size_t size) {
        auto* state = static_cast<State*>(context);
        const auto* header = static_cast<const pw_event_header*>(data);
        // A sample of another size is a build mismatch, never something to reinterpret.
        if (size != sizeof(pw_fib_lookup_event) || header->kind != PW_EVENT_FIB_LOOKUP) return 0;
        (*state->handler)(decode(*static_cast<const pw_fib_lookup_event*>(data)));
        return 0;
    }
};

FibLookupTracer::FibLookupTracer(const FibLookupFilter& filter) : state_(std::make_unique<State>()) {
    route_libbpf_messages();
    state_->skeleton = fib__open();
    if (!state_->skeleton)
        throw Error("open the route-lookup BPF program", errno_text(errno), kPrivilegesHint);
    state_->skeleton->rodata->watched_netns = filter.netns_inode;
    state_->skeleton->rodata->watched_daddr =
        filter.destination ? filter.destination->network_order() : 0;
    if (int err = fib__load(state_->skeleton)) {
        std::string detail = recent_libbpf_messages();
        throw Error("load the route-lookup BPF program (tp_btf/fib_table_lookup)",
                    errno_text(err) + (detail.empty() ? "" : " — " + detail), kPrivilegesHint);
    }
    if (int err = fib__attach(state_->skeleton))
        throw Error("attach to tracepoint fib:fib_table_lookup", errno_text(err), kPrivilegesHint);
    state_->ring = ring_buffer__new(bpf_map__fd(state_->skeleton->maps.events), State::on_sample,
                                    state_.get(), nullptr);
    if (!state_->ring)
        throw Error("open the BPF ring buffer", errno_text(errno), kPrivilegesHint);
}

FibLookupTracer::~FibLookupTracer() = default;

int FibLookupTracer::poll(std::chrono::milliseconds timeout, const Handler& handler) {
    state_->handler = &handler;
    int delivered = ring_buffer__poll(state_->ring, static_cast<int>(timeout.count()));
    state_->handler = nullptr;
    if (delivered < 0 && delivered != -EINTR)
        throw Error("read the BPF ring buffer", errno_text(delivered));
    return delivered < 0 ? 0 : delivered;
}

std::uint64_t FibLookupTracer::lost_events() const {
    int cpus = libbpf_num_possible_cpus();
    if (cpus <= 0) return 0;
    std::vector<std::uint64_t> per_cpu(static_cast<std::size_t>(cpus));
    std::uint32_t zero = 0;
    if (bpf_map_lookup_elem(bpf_map__fd(state_->skeleton->maps.lost_events), &zero,
                            per_cpu.data()) != 0)
        return 0;
    std::uint64_t total = 0;
    for (auto n : per_cpu) total += n;
    return total;
}

}  // namespace pathwhy
