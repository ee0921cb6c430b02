// Open the one BPF object, keep the programs the plan chose (set_autoload false on the rest),
// set the namespace and load. A program the kernel refuses costs only what rests on it: its
// mechanism is refused in the answers (a tp_btf program falls back to its raw_tp twin, the
// fentry pair to the kprobe pair), the plan is made again and the object reopened and loaded
// without it. Then fill the watched prefixes before anything is attached, attach the netfilter
// mechanisms in order of preference until one attaches (links from inside the diagnosed
// namespace), each other program on its own so that one failure costs one view, and read the
// shared ring buffer.
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
#include "trace/load_failure.h"
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

// "tp_btf/kfree_skb", "fentry/nf_hook_slow", "netfilter link": what a program attaches to.
std::string attach_target(const PlannedProgram& planned) {
    return attach_name(planned.attach) + (planned.target.empty() ? "" : "/" + planned.target);
}

// Each reload drops one program for good, so this bounds the tries with room to spare.
constexpr int kMaxLoadAttempts = 32;

std::uint32_t namespace_inode(const std::string& netns) {
    if (netns.empty()) return static_cast<std::uint32_t>(current_netns_inode());
    NetnsScope inside(netns);
    return static_cast<std::uint32_t>(current_netns_inode());
}

}  // namespace

struct PacketTracer::State {
    KernelViews views;
    std::map<std::string, std::string> refusals;
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

    bpf_program* program(const std::string& name) const {
        return bpf_object__find_program_by_name(skeleton->obj, name.c_str());
    }

    TracePlan load_what_loads(FeatureAnswers& answers, const PacketTraceFilter& filter);
    void open(const TracePlan& plan, const WatchedFilter& watched);
    void fill_watched(const WatchedFilter& watched);
    std::optional<std::string> attach_tracing(const PlannedProgram& planned);
    std::optional<std::string> attach_hook_pair(const TracePlan& plan, Attach mechanism);
    std::optional<std::string> attach_netfilter_links(const std::string& netns);
    Attach attach_netfilter(FeatureAnswers& answers, const TracePlan& plan,
                            const std::string& netns);
};

void PacketTracer::State::open(const TracePlan& plan, const WatchedFilter& watched) {
    packet_trace__destroy(skeleton);
    skeleton = packet_trace__open();
    if (!skeleton)
        throw Error("open the packet-trace BPF object", errno_text(errno), kPrivilegesHint);
    skeleton->rodata->watched_netns = netns_inode;
    skeleton->rodata->watched_net = watched.net;
    skeleton->rodata->watched_mask = watched.mask;
    bpf_program* each;
    bpf_object__for_each_program(each, skeleton->obj) {
        std::string name = bpf_program__name(each);
        bool chosen = std::any_of(plan.programs.begin(), plan.programs.end(),
                                  [&](const PlannedProgram& p) { return p.program == name; });
        bpf_program__set_autoload(each, chosen);
    }
}

// libbpf loads an object once and stops at the first program that fails: each failure is
// turned into a refused answer and the object is opened and loaded again without that program.
TracePlan PacketTracer::State::load_what_loads(FeatureAnswers& answers,
                                               const PacketTraceFilter& filter) {
    const WatchedFilter watched = watched_filter(filter.watched);
    for (int attempt = 1;; ++attempt) {
        TracePlan plan = plan_trace(answers);
        if (plan.programs.empty()) throw Error("trace packets", plan.views.front().reason);
        open(plan, watched);
        LibbpfWarnings warnings;
        const int err = packet_trace__load(skeleton);
        if (err == 0) {
            fill_watched(watched);
            return plan;
        }
        const std::optional<LoadFailure> failure = find_load_failure(warnings.messages());
        const auto failed = std::find_if(
            plan.programs.begin(), plan.programs.end(),
            [&](const PlannedProgram& p) { return failure && p.program == failure->program; });
        if (failed == plan.programs.end() || attempt == kMaxLoadAttempts) {
            // Not one program's fault (a map, BTF, the rights): nothing can be traced.
            std::string detail = recent_libbpf_messages();
            throw Error("load the packet-trace BPF programs",
                        errno_text(err) + (detail.empty() ? "" : " — " + detail), kPrivilegesHint);
        }
        refuse(answers, *failed,
               fmt::format("{} ({}) failed to load: {}", failed->program, attach_target(*failed),
                           failure->reason));
    }
}

// Filled before anything is attached, so no program ever runs with a partial filter.
void PacketTracer::State::fill_watched(const WatchedFilter& watched) {
    for (const pw_watched_prefix& key : watched.keys) {
        std::uint8_t yes = 1;
        if (bpf_map_update_elem(bpf_map__fd(skeleton->maps.watched_prefixes), &key, &yes,
                                BPF_ANY) != 0)
            throw Error("fill the watched prefixes", errno_text(errno));
    }
}

// nullopt when attached; otherwise why not.
std::optional<std::string> PacketTracer::State::attach_tracing(const PlannedProgram& planned) {
    bpf_program* loaded = program(planned.program);
    bpf_link* link = loaded ? bpf_program__attach(loaded) : nullptr;
    const std::string target = attach_target(planned);
    if (!link) return fmt::format("cannot attach {}: {}", target, errno_text(errno));
    links.push_back(link);
    attachments.push_back({planned.program, target, object_id(bpf_program__fd(loaded)),
                           object_id(bpf_link__fd(link))});
    return std::nullopt;
}

// The fentry/fexit or kprobe/kretprobe pair on nf_hook_slow: both or neither, since entries
// without exits would read as drops.
std::optional<std::string> PacketTracer::State::attach_hook_pair(const TracePlan& plan,
                                                                 Attach mechanism) {
    const std::size_t before = links.size();
    for (const PlannedProgram& planned : plan.programs) {
        if (planned.attach != mechanism) continue;
        if (auto error = attach_tracing(planned)) {
            while (links.size() > before) {
                bpf_link__destroy(links.back());
                links.pop_back();
                attachments.pop_back();
            }
            return error;
        }
    }
    return std::nullopt;
}

std::optional<std::string> PacketTracer::State::attach_netfilter_links(const std::string& netns) {
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
                int fd = bpf_program__fd(program(edge.program));
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
        return std::string(e.what());
    }
    return std::nullopt;
}

// Netfilter links, else fentry/fexit, else kprobe/kretprobe: the first candidate that attaches.
// Each that does not is refused in the answers with why, so that the views say it; the pairs
// not used are unloaded.
Attach PacketTracer::State::attach_netfilter(FeatureAnswers& answers, const TracePlan& plan,
                                             const std::string& netns) {
    Attach attached = Attach::none;
    for (Attach candidate : plan.netfilter_candidates) {
        std::optional<std::string> error = candidate == Attach::netfilter_link
                                               ? attach_netfilter_links(netns)
                                               : attach_hook_pair(plan, candidate);
        if (!error) {
            attached = candidate;
            break;
        }
        refuse(answers, candidate, *error);
    }
    for (const PlannedProgram& planned : plan.programs)
        if (served_by_netfilter_programs(planned.view) && planned.attach != attached)
            bpf_program__unload(program(planned.program));
    return attached;
}

PacketTracer::PacketTracer(KernelFeatures& features, const PacketTraceFilter& filter)
    : state_(std::make_unique<State>()) {
    route_libbpf_messages();
    register_netfilter_section();
    FeatureAnswers answers = features.answers();
    state_->netns_inode = namespace_inode(filter.netns);
    state_->names.drop_reason = [state = state_.get()](std::uint32_t reason) {
        return state->reasons.name(reason);
    };
    state_->names.kernel_symbol = [state = state_.get()](std::uint64_t address) {
        return state->symbols.describe(address);
    };

    const TracePlan loaded = state_->load_what_loads(answers, filter);
    state_->attach_netfilter(answers, loaded, filter.netns);
    // Planned again with what failed to load or attach: the views name each refusal.
    state_->views = plan_trace(answers).views;
    state_->refusals = answers.refusals;
    for (const PlannedProgram& planned : loaded.programs)
        if (!served_by_netfilter_programs(planned.view))
            if (auto error = state_->attach_tracing(planned))
                mark_missing(state_->views, planned.view, *error);

    state_->ring = ring_buffer__new(bpf_map__fd(state_->skeleton->maps.events), State::on_sample,
                                    state_.get(), nullptr);
    if (!state_->ring) throw Error("open the BPF ring buffer", errno_text(errno), kPrivilegesHint);
}

PacketTracer::~PacketTracer() = default;

const KernelViews& PacketTracer::views() const { return state_->views; }

const std::map<std::string, std::string>& PacketTracer::refusals() const {
    return state_->refusals;
}

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
