// One loop owns the recording: sources push records into one queue from their threads; the loop
// writes them, feeds the incident tracker, decides when a change calls for a fresh snapshot
// (debounced, so that a Docker network's creation and its route arrive in one), and flushes a
// chunk at least every flush interval. Nothing in the loop waits on Docker or the kernel.
#include "record/recorder.h"

#include <linux/netlink.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fstream>

#include <fmt/format.h>

#include "common/error.h"
#include "common/interrupt.h"
#include "explain/incident_tracker.h"
#include "kernel/conntrack_events.h"
#include "kernel/kernel_changes.h"
#include "record/docker_source.h"
#include "record/incident_alerts.h"
#include "record/netlink_source.h"
#include "record/record_queue.h"
#include "record/relevance.h"
#include "record/snapshot_source.h"
#include "record/status_line.h"
#include "record/time_text.h"
#include "record/tracer_source.h"

namespace pathwhy {
namespace {

using Clock = std::chrono::steady_clock;

// After a change, wait this long before the snapshot: Docker adds a network's bridge, address and
// route one after the other, and inspecting it a moment later finds it complete.
constexpr auto kSnapshotDebounce = std::chrono::milliseconds(300);
constexpr auto kSnapshotGap = std::chrono::seconds(1);
constexpr auto kLoopTick = std::chrono::milliseconds(100);
// At about 700 bytes a record, 16384 queued records are 11 MiB at worst: a third of a second at
// the writer's full speed, within the service's 64 MiB.
constexpr std::size_t kQueueCapacity = 1 << 14;

std::int64_t monotonic_to_unix_ns() {
    timespec real{}, mono{};
    clock_gettime(CLOCK_REALTIME, &real);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    return (static_cast<std::int64_t>(real.tv_sec) - mono.tv_sec) * 1'000'000'000 +
           (real.tv_nsec - mono.tv_nsec);
}

std::string host_name() {
    char name[256] = {};
    return gethostname(name, sizeof name - 1) == 0 ? name : "";
}

class Recorder {
  public:
    explicit Recorder(const RecorderOptions& options)
        : options_(options),
          queue_(kQueueCapacity),
          tracker_(options.watched),
          status_(isatty(STDERR_FILENO) == 1),
          alerts_(options.on_incident, options.on_incident_limit,
                  [this](const std::string& line) { status_.print(line); }) {
        session_.pathwhy_version = PATHWHY_VERSION;
        session_.hostname = host_name();
        session_.netns = options.place.netns;
        session_.docker_endpoint = options.place.docker.url();
        session_.watched = options.watched;
        session_.started_unix_ns = unix_now_ns();
        session_.monotonic_to_unix_ns = monotonic_to_unix_ns();
    }

    void run();

  private:
    LiveSnapshotRequest snapshot_request() const;
    void start_sources();
    void handle(Record&& record);
    void announce(const std::vector<IncidentChange>& changes, std::int64_t now_ns);
    void want_snapshot(Clock::time_point now);
    void append(const Record& record);
    std::string status_text(Clock::time_point now) const;
    std::vector<Record> preamble(std::uint32_t file_index) const;
    template <typename Source, typename... Args>
    void start(std::optional<Source>& slot, const std::string& name, const std::string& detail,
               Args&&... args);

    RecorderOptions options_;
    RecordQueue queue_;
    IncidentTracker tracker_;
    StatusLine status_;
    IncidentAlerts alerts_;
    SessionInfo session_;
    std::optional<RecordingWriter> writer_;
    // Declared after the writer and the queue they feed: destroyed (stopped) before them.
    std::optional<DockerSource> docker_;
    std::optional<NetlinkSource> kernel_changes_;
    std::optional<NetlinkSource> conntrack_;
    std::optional<TracerSource> tracer_;
    std::optional<SnapshotSource> snapshots_;

    Clock::time_point started_{};
    std::optional<Clock::time_point> snapshot_wanted_at_;
    Clock::time_point last_snapshot_request_{};
    std::uint64_t events_ = 0;
    std::uint64_t lost_ = 0;
};

LiveSnapshotRequest Recorder::snapshot_request() const {
    LiveSnapshotRequest request = options_.place;
    // The ruleset names the rule behind a netfilter drop, which only the tracer can see.
    request.read_ruleset = tracer_.has_value();
    return request;
}

template <typename Source, typename... Args>
void Recorder::start(std::optional<Source>& slot, const std::string& name,
                     const std::string& detail, Args&&... args) {
    try {
        slot.emplace(std::forward<Args>(args)...);
        session_.sources.push_back({name, true, detail});
    } catch (const Error& e) {
        const std::string reason = e.hint().empty() ? e.what() : e.what() + (" (" + e.hint() + ")");
        session_.sources.push_back({name, false, reason});
        status_.print(name + " not recorded: " + reason);
    }
}

void Recorder::start_sources() {
    std::string watched;
    for (const auto& prefix : options_.watched) watched += (watched.empty() ? "" : ", ") + prefix.str();
    start(tracer_, "packet tracer", "BPF, filtered in the kernel to " + watched,
          options_.place.netns, options_.watched, session_.monotonic_to_unix_ns, queue_);
    if (tracer_) {
        session_.views = tracer_->views();
        tracker_.set_views(session_.views);
        for (const auto& view : session_.views)
            if (!view.active)
                status_.print("packet view missing: " + kernel_view_name(view.view) +
                              (view.reason.empty() ? "" : " (" + view.reason + ")"));
    }
    const std::vector<Ipv4Cidr> prefixes = options_.watched;
    start(kernel_changes_, "rtnetlink monitor", "links, addresses, routes, rules, neighbours",
          "rtnetlink monitor", options_.place.netns, NETLINK_ROUTE, kernel_change_groups(),
          [prefixes](const nlmsghdr& message) -> std::optional<RecordBody> {
              auto change = decode_kernel_change(message);
              if (!change || !worth_recording(*change, prefixes)) return std::nullopt;
              return std::move(*change);
          },
          queue_);
    start(conntrack_, "conntrack events", "flows to and from " + watched, "conntrack event monitor",
          options_.place.netns, NETLINK_NETFILTER, conntrack_event_groups(),
          [prefixes](const nlmsghdr& message) -> std::optional<RecordBody> {
              auto event = decode_conntrack_event(message);
              if (!event || !involves_watched(event->entry, prefixes)) return std::nullopt;
              return std::move(*event);
          },
          queue_);
    start(docker_, "docker events", options_.place.docker.url(), options_.place.docker, queue_);
}

std::vector<Record> Recorder::preamble(std::uint32_t file_index) const {
    SessionInfo session = session_;
    session.file_index = file_index;
    std::vector<Record> records{{unix_now_ns(), std::move(session)}};
    if (const Snapshot* latest = tracker_.latest()) records.push_back({unix_now_ns(), *latest});
    return records;
}

void Recorder::append(const Record& record) { writer_->append(record); }

void Recorder::want_snapshot(Clock::time_point now) {
    if (!snapshot_wanted_at_) snapshot_wanted_at_ = now + kSnapshotDebounce;
}

void Recorder::announce(const std::vector<IncidentChange>& changes, std::int64_t now_ns) {
    for (const auto& change : changes) {
        const auto json = incident_json(change, session_.hostname, options_.output);
        alerts_.raise(change, json);
        const WatchedIncident& incident = change.incident;
        append({now_ns, IncidentMark{change.opened, incident.watched, incident.destination,
                                     incident.finding.kind, incident.finding.summary,
                                     json.dump()}});
    }
}

void Recorder::handle(Record&& record) {
    const auto now = Clock::now();
    if (auto* snapshot = std::get_if<Snapshot>(&record.body)) {
        append(record);
        announce(tracker_.take_snapshot(std::move(*snapshot), record.time_unix_ns),
                 record.time_unix_ns);
        return;
    }
    ++events_;
    if (const auto* change = std::get_if<KernelChange>(&record.body)) {
        if (calls_for_snapshot(*change, options_.watched)) want_snapshot(now);
    } else if (const auto* event = std::get_if<DockerEvent>(&record.body)) {
        if (calls_for_snapshot(*event, options_.watched)) want_snapshot(now);
    } else if (const auto* flow = std::get_if<ConntrackEvent>(&record.body)) {
        for (const FlowTuple* tuple : {&flow->entry.original, &flow->entry.reply}) {
            tracker_.saw_address(tuple->source);
            tracker_.saw_address(tuple->destination);
        }
    } else if (const auto* observed = std::get_if<ObservedEvent>(&record.body)) {
        tracker_.observe(*observed, record.time_unix_ns);
    } else if (const auto* note = std::get_if<RecordingNote>(&record.body)) {
        --events_;
        if (note->kind == "lost-events") {
            lost_ += note->count;
            tracker_.add_lost_events(note->count, record.time_unix_ns);
        }
        if (note->kind == "docker-reconnected") want_snapshot(now);
        if (note->kind != "lost-events" && note->kind != "tracer-stopped")
            status_.print(note->text);
        if (note->kind == "tracer-stopped") {
            append(record);
            announce(tracker_.tracer_stopped(record.time_unix_ns), record.time_unix_ns);
            return;
        }
    }
    append(record);
}

std::string Recorder::status_text(Clock::time_point now) const {
    const auto up = std::chrono::duration_cast<std::chrono::seconds>(now - started_).count();
    const auto& stats = writer_->stats();
    return fmt::format("recording to {}: {} events{}, {} incident{} open, {} on disk, up {:02}:{:02}:{:02}",
                       options_.output, events_, lost_ ? fmt::format(" ({} lost)", lost_) : "",
                       tracker_.open_incidents().size(),
                       tracker_.open_incidents().size() == 1 ? "" : "s", mebibytes(stats.bytes),
                       up / 3600, up / 60 % 60, up % 60);
}

void Recorder::run() {
    started_ = Clock::now();
    // The first snapshot is taken here, not by the source: a namespace that does not exist or a
    // Docker endpoint that does not answer must stop `record` before it starts.
    start_sources();
    LiveSnapshotRequest first = snapshot_request();
    first.destinations = tracker_.addresses_of_interest();
    const std::int64_t taken = unix_now_ns();
    Snapshot snapshot = take_live_snapshot(first);
    // The writer's preamble carries the first snapshot; the tracker must hold it already.
    auto changes = tracker_.take_snapshot(std::move(snapshot), taken);
    writer_.emplace(options_.output, options_.limits,
                    [this](std::uint32_t index) { return preamble(index); });
    announce(changes, taken);
    snapshots_.emplace(snapshot_request(), queue_);
    if (!options_.ready_file.empty()) std::ofstream(options_.ready_file).flush();

    std::string stop_reason;
    try {
        while (stop_reason.empty()) {
            for (Record& record : queue_.pop_all(kLoopTick)) handle(std::move(record));
            const auto now = Clock::now();
            if (const auto dropped = queue_.take_dropped())
                append({unix_now_ns(),
                        RecordingNote{"recorder-dropped",
                                      fmt::format("{} events dropped: the recorder fell behind",
                                                  dropped),
                                      dropped}});
            if (snapshot_wanted_at_ && now >= *snapshot_wanted_at_ &&
                now - last_snapshot_request_ >= kSnapshotGap) {
                snapshots_->request(tracker_.addresses_of_interest());
                snapshot_wanted_at_.reset();
                last_snapshot_request_ = now;
            }
            if (const auto now_ns = unix_now_ns(); tracker_.evaluation_due(now_ns))
                announce(tracker_.evaluate(now_ns), now_ns);
            writer_->flush_if_due(now);
            status_.update(now, status_text(now));
            if (interrupted())
                stop_reason = fmt::format("stopped by SIG{}", sigabbrev_np(interrupt_signal()));
            else if (options_.duration && now - started_ >= *options_.duration)
                stop_reason = "stopped: --duration is over";
        }
    } catch (const Error&) {
        status_.finish();
        throw;  // the writer has closed itself, keeping what was written
    }

    // Stop the sources first, then write what they queued before stopping.
    snapshots_.reset();
    tracer_.reset();
    conntrack_.reset();
    kernel_changes_.reset();
    docker_.reset();
    for (Record& record : queue_.pop_all(std::chrono::milliseconds(0))) handle(std::move(record));
    append({unix_now_ns(), RecordingNote{"stopped", "recording " + stop_reason}});
    writer_->close();
    status_.finish();
    status_.print(fmt::format("{}; {} events in {} ({})", stop_reason, events_, options_.output,
                              mebibytes(writer_->stats().bytes)));
}

}  // namespace

void record(const RecorderOptions& options) { Recorder(options).run(); }

}  // namespace pathwhy
