#include "cli/trace_session.h"

#include <fmt/format.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/probe.h"
#include "common/error.h"
#include "common/interrupt.h"
#include "trace/kernel_features.h"
#include "trace/packet_tracer.h"

namespace pathwhy {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Events of a decided probe can still be in flight (the ICMP error after the drop, the ring
// buffer's last page): drain a little longer.
constexpr milliseconds kGrace{300};
// How long one poll of the ring buffer may wait: bounds the reaction to Ctrl-C and the deadline.
constexpr milliseconds kPollSlice{100};

void progress(const std::string& line) { std::fprintf(stderr, "%s", line.c_str()); }

// The handshake for tests and scripts: the file appears (atomically) once the tracer sees.
void write_ready_file(const std::string& path) {
    if (path.empty()) return;
    const std::string temporary = path + ".tmp";
    std::ofstream(temporary) << getpid() << "\n";
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (ec) throw Error("write the ready file " + path, ec.message());
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

class Session {
  public:
    Session(PacketTracer& tracer, Observation& observation)
        : tracer_(tracer), observation_(observation) {}

    void collect(milliseconds timeout) {
        tracer_.poll(timeout,
                     [&](const ObservedEvent& event) { observation_.events.push_back(event); });
    }

    void drain_for(milliseconds duration) {
        const auto end = Clock::now() + duration;
        while (Clock::now() < end) collect(kPollSlice);
    }

  private:
    PacketTracer& tracer_;
    Observation& observation_;
};

void probe(const TraceSessionRequest& request, Session& session, Observation& observation) {
    const ProbeSpec& spec = *request.settings.probe;
    observation.mode = Observation::Mode::probe;
    observation.probe = spec.text();
    if (request.container) observation.from = "container:" + request.container->name;
    progress(fmt::format("probing {} with {}{}… ", request.destination.str(), spec.text(),
                         request.container ? " from container " + request.container->name : ""));
    std::fflush(stderr);

    const auto start = Clock::now();
    Probe probe(spec, request.destination,
                request.container ? request.container->netns_path : request.netns);
    std::optional<std::string> outcome;
    while (!outcome) {
        session.collect(milliseconds(20));
        if (interrupted()) {
            observation.interrupted = true;
            outcome = "interrupted before an answer";
        } else if (!(outcome = probe.outcome()) && Clock::now() - start >= Probe::kTimeout) {
            outcome = probe.no_outcome();
        }
    }
    observation.outcome = *outcome;
    observation.outcome_after_ms = static_cast<std::uint64_t>(seconds_since(start) * 1000);
    if (!observation.interrupted) session.drain_for(kGrace);
    progress(fmt::format("{} after {:.2f} s · {} events\n", observation.outcome,
                         observation.outcome_after_ms / 1e3, observation.events.size()));
}

void watch(const TraceSessionRequest& request, Session& session, Observation& observation) {
    const int seconds = request.settings.watch_seconds;
    observation.mode = Observation::Mode::watch;
    observation.watch_seconds = seconds;
    // On a terminal the line counts up in place; in a log, one line at each end.
    const bool terminal = isatty(STDERR_FILENO);
    const std::string head =
        fmt::format("watching {} for {} s…", request.destination.str(), seconds);
    progress(terminal ? head : head + "\n");
    const auto start = Clock::now();
    const auto end = start + std::chrono::seconds(seconds);
    auto shown = start;
    while (Clock::now() < end && !interrupted()) {
        const auto left = std::chrono::duration_cast<milliseconds>(end - Clock::now());
        session.collect(std::min(kPollSlice, std::max(left, milliseconds(0))));
        if (terminal && Clock::now() - shown >= std::chrono::seconds(1)) {
            shown = Clock::now();
            progress(fmt::format("\r{} {} events", head, observation.events.size()));
        }
    }
    observation.interrupted = interrupted();
    session.collect(milliseconds(0));
    progress(
        fmt::format("{}{} {} events{}\n", terminal ? "\r" : "", head, observation.events.size(),
                    observation.interrupted
                        ? fmt::format(" (stopped by Ctrl-C after {:.1f} s)", seconds_since(start))
                        : ""));
}

}  // namespace

Observation run_trace_session(const TraceSessionRequest& request) {
    // Ctrl-C becomes a flag the loops check: the tracer detaches and the diagnosis still prints.
    InterruptGuard interrupts;
    PacketTraceFilter filter;
    filter.netns = request.netns;
    filter.watched.push_back({request.destination, 32});
    for (const auto& address : request.also_watched) filter.watched.push_back({address, 32});
    if (request.container)
        for (const auto& address : request.container->addresses)
            filter.watched.push_back({address, 32});

    KernelFeatures features;
    PacketTracer tracer(features, filter);
    Observation observation;
    observation.views = tracer.views();
    write_ready_file(request.settings.ready_file);

    Session session(tracer, observation);
    if (request.settings.probe) {
        probe(request, session, observation);
    } else {
        watch(request, session, observation);
    }
    observation.lost_events = tracer.lost_events();
    // Nothing is read after this: a packet seen entering a hook just before is not judged.
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    observation.events_end_ns =
        static_cast<std::uint64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
    observation.tracer_stopped = true;
    return observation;
}

}  // namespace pathwhy
