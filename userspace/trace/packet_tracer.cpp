// Open the one BPF object, keep the programs the plan chose (set_autoload false on the rest),
// set the namespace and fill the watched prefixes before anything is attached, attach each
// program on its own so that one failure costs one view, make the netfilter links from inside
// the diagnosed namespace, then read the shared ring buffer.
#include "trace/packet_tracer.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <optional>

#include "common/error.h"
#include "events.h"
#include "kernel/netns.h"
#include "packet_trace.skel.h"
#include "trace/drop_reasons.h"
#include "trace/event_decoder.h"
#include "trace/kernel_symbols.h"
#include "trace/libbpf_log.h"
#include "trace/netfilter_link.h"
#include "trace/trace_plan.h"
#include "trace/watched_filter.h"

namespace pathwhy {

namespace {

constexpr const char* kPrivilegesHint =
    "run as root or grant CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN";

std::uint32_t object_id(int fd) {
    // bpf_prog_info and bpf_link_info both start with type and id.
    struct {
        std::uint32_t type;
        std::uint32_t id;
    } info{};
    std::uint32_t length = sizeof info;
    return bpf_obj_get_info_by_fd(fd, &info, &length) == 0 ? info.id : 0;
}

void mark_missing(KernelViews& views, KernelView view, const std::string& reason) {
    bool drops_seen = false;
    for (const auto& status : views)
        if (status.view == KernelView::drops)
            drops_seen = status.active && view != KernelView::drops;
    for (auto& status : views)
        if (status.view == view && status.active) {
            status.active = false;
            status.reason = reason;
            status.mechanism.clear();
            status.loss = loss_without(view, drops_seen);
        }
}

std::uint32_t namespace_inode(const std::string& netns) {
    if (netns.empty()) return static_cast<std::uint32_t>(current_netns_inode());
    NetnsScope inside(netns);
    return static_cast<std::uint32_t>(current_netns_inode());
}

}  // namespace

struct PacketTracer::State {
    KernelViews views;
    std::vector<TraceAttachment> attachments;
    std::uint32_t netns_inode = 0;
    packet_trace* skeleton = nullptr;
    std::vector<bpf_link*> links;
    std::vector<NetfilterLink> netfilter_links;
    ring_buffer* ring = nullptr;
    KernelSymbols symbols;
    DropReasons reasons;
    EventNames names;
    const Handler* handler = nullptr;

    ~State() {
        ring_buffer__free(ring);
        netfilter_links.clear();
        for (bpf_link* link : links) bpf_link__destroy(link);
        packet_trace__destroy(skeleton);  // closes every program and map fd
    }

    static int on_sample(void* context, void* data, size_t size) {
        auto* state = static_cast<State*>(context);
        // A sample that does not decode is a build mismatch: skipped, never reinterpreted.
        if (auto event = decode_event(data, size, state->names)) (*state->handler)(*event);
        return 0;
    }

    void open_and_load(const TracePlan& plan, const PacketTraceFilter& filter);
    bool attach_tracing(const PlannedProgram& planned);
    void attach_hook_fallback(const TracePlan& plan);
    void attach_netfilter_links(const TracePlan& plan, const std::string& netns);
};

void PacketTracer::State::open_and_load(const TracePlan& plan, const PacketTraceFilter& filter) {
    skeleton = packet_trace__open();
    if (!skeleton)
        throw Error("open the packet-trace BPF object", errno_text(errno), kPrivilegesHint);
    const WatchedFilter watched = watched_filter(filter.watched);
    skeleton->rodata->watched_netns = netns_inode;
    skeleton->rodata->watched_net = watched.net;
    skeleton->rodata->watched_mask = watched.mask;
    bpf_program* program;
    bpf_object__for_each_program(program, skeleton->obj) {
        std::string name = bpf_program__name(program);
        bool chosen = std::any_of(plan.programs.begin(), plan.programs.end(),
                                  [&](const PlannedProgram& p) { return p.program == name; });
        bpf_program__set_autoload(program, chosen);
    }
    if (int err = packet_trace__load(skeleton)) {
        std::string detail = recent_libbpf_messages();
        throw Error("load the packet-trace BPF programs",
                    errno_text(err) + (detail.empty() ? "" : " — " + detail), kPrivilegesHint);
    }
    // Filled before anything is attached, so no program ever runs with a partial filter.
    for (const pw_watched_prefix& key : watched.keys) {
        std::uint8_t yes = 1;
        if (bpf_map_update_elem(bpf_map__fd(skeleton->maps.watched_prefixes), &key, &yes,
                                BPF_ANY) != 0)
            throw Error("fill the watched prefixes", errno_text(errno));
    }
}

bool PacketTracer::State::attach_tracing(const PlannedProgram& planned) {
    bpf_program* program = bpf_object__find_program_by_name(skeleton->obj, planned.program.c_str());
    bpf_link* link = program ? bpf_program__attach(program) : nullptr;
    std::string target = attach_name(planned.attach) + "/" + planned.target;
    if (!link) {
        mark_missing(views, planned.view,
                     fmt::format("cannot attach {}: {}", target, errno_text(errno)));
        return false;
    }
    links.push_back(link);
    attachments.push_back({planned.program, target, object_id(bpf_program__fd(program)),
                           object_id(bpf_link__fd(link))});
    return true;
}

// The fentry/fexit or kprobe/kretprobe pair on nf_hook_slow: both or neither, since entries
// without exits would read as drops.
void PacketTracer::State::attach_hook_fallback(const TracePlan& plan) {
    std::size_t before = links.size();
    bool attached = true;
    for (const PlannedProgram& planned : plan.programs)
        if (planned.attach == plan.netfilter) attached = attached && attach_tracing(planned);
    if (attached) return;
    while (links.size() > before) {
        bpf_link__destroy(links.back());
        links.pop_back();
        attachments.pop_back();
    }
    std::string reason;
    for (const auto& status : views)
        if (status.view == KernelView::netfilter_verdicts) reason = status.reason;
    for (const auto& status : plan.views)
        if (served_by_netfilter_programs(status.view)) mark_missing(views, status.view, reason);
}

void PacketTracer::State::attach_netfilter_links(const TracePlan& plan, const std::string& netns) {
    HookProgramPair pair = hook_programs(Attach::netfilter_link);
    const struct {
        const std::string& program;
        std::int32_t priority;
    } edges[] = {{pair.entry, PW_HOOK_ENTRY_PRIORITY}, {pair.exit, PW_HOOK_EXIT_PRIORITY}};
    try {
        // Netfilter links hook into the namespace of the thread that makes them.
        std::optional<NetnsScope> inside;
        if (!netns.empty()) inside.emplace(netns);
        for (NetfilterHook hook :
             {NetfilterHook::prerouting, NetfilterHook::local_in, NetfilterHook::forward,
              NetfilterHook::local_out, NetfilterHook::postrouting})
            for (const auto& edge : edges) {
                int fd = bpf_program__fd(
                    bpf_object__find_program_by_name(skeleton->obj, edge.program.c_str()));
                netfilter_links.emplace_back(fd, hook, edge.priority);
                attachments.push_back({edge.program,
                                       fmt::format("netfilter {} priority {}",
                                                   netfilter_hook_name(hook), edge.priority),
                                       object_id(fd), object_id(netfilter_links.back().fd())});
            }
    } catch (const Error& e) {
        // Half a set of hooks would show drops that are not there: all or none.
        netfilter_links.clear();
        std::erase_if(attachments, [&](const TraceAttachment& a) {
            return a.program == pair.entry || a.program == pair.exit;
        });
        for (const auto& status : plan.views)
            if (served_by_netfilter_programs(status.view))
                mark_missing(views, status.view, e.what());
    }
}

PacketTracer::PacketTracer(KernelFeatures& features, const PacketTraceFilter& filter)
    : state_(std::make_unique<State>()) {
    route_libbpf_messages();
    register_netfilter_section();
    const TracePlan plan = plan_trace(features.answers());
    if (plan.programs.empty()) throw Error("trace packets", plan.views.front().reason);
    state_->views = plan.views;
    state_->netns_inode = namespace_inode(filter.netns);
    state_->names.drop_reason = [state = state_.get()](std::uint32_t reason) {
        return state->reasons.name(reason);
    };
    state_->names.kernel_symbol = [state = state_.get()](std::uint64_t address) {
        return state->symbols.describe(address);
    };

    state_->open_and_load(plan, filter);
    for (const PlannedProgram& planned : plan.programs)
        if (!served_by_netfilter_programs(planned.view)) state_->attach_tracing(planned);
    if (plan.netfilter == Attach::netfilter_link)
        state_->attach_netfilter_links(plan, filter.netns);
    else if (plan.netfilter != Attach::none)
        state_->attach_hook_fallback(plan);

    state_->ring = ring_buffer__new(bpf_map__fd(state_->skeleton->maps.events), State::on_sample,
                                    state_.get(), nullptr);
    if (!state_->ring) throw Error("open the BPF ring buffer", errno_text(errno), kPrivilegesHint);
}

PacketTracer::~PacketTracer() = default;

const KernelViews& PacketTracer::views() const { return state_->views; }

const std::vector<TraceAttachment>& PacketTracer::attachments() const {
    return state_->attachments;
}

std::uint32_t PacketTracer::netns_inode() const { return state_->netns_inode; }

int PacketTracer::poll(std::chrono::milliseconds timeout, const Handler& handler) {
    state_->handler = &handler;
    int delivered = ring_buffer__poll(state_->ring, static_cast<int>(timeout.count()));
    state_->handler = nullptr;
    if (delivered < 0 && delivered != -EINTR)
        throw Error("read the BPF ring buffer", errno_text(delivered));
    return delivered < 0 ? 0 : delivered;
}

std::uint64_t PacketTracer::lost_events() const {
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
