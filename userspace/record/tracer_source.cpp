#include "record/tracer_source.h"

#include <fmt/format.h>
#include <time.h>

#include "common/error.h"
#include "record/relevance.h"
#include "record/time_text.h"

namespace pathwhy {

TracerSource::TracerSource(const std::string& netns, const std::vector<Ipv4Cidr>& watched,
                           std::int64_t monotonic_to_unix_ns, RecordQueue& queue)
    : offset_ns_(monotonic_to_unix_ns), queue_(queue) {
    tracer_.emplace(features_, PacketTraceFilter{netns, watched});
    thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

TracerSource::~TracerSource() {
    thread_.request_stop();
    if (thread_.joinable()) thread_.join();
}

// On the events' clock (BPF's CLOCK_MONOTONIC, placed on the wall clock by the session's offset),
// so that "the tracer stopped here" compares with their times exactly.
std::int64_t TracerSource::now_on_event_clock() const {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec + offset_ns_;
}

void TracerSource::run(std::stop_token stop) {
    // Whatever ends the loop, the last events read are the last there will be: the report and
    // the live tracker judge a packet seen entering a hook just before as unfinished, not dropped.
    struct StopNote {
        TracerSource& source;
        ~StopNote() {
            source.queue_.push({source.now_on_event_clock(),
                                RecordingNote{"tracer-stopped", "packet tracer stopped"}});
        }
    } stop_note{*this};
    std::uint64_t lost_noted = 0;
    while (!stop.stop_requested()) {
        try {
            // Short enough that stopping is prompt: the tracer has no wake-up of its own.
            tracer_->poll(std::chrono::milliseconds(200), [&](const ObservedEvent& event) {
                if (is_route_query(event)) return;
                queue_.push({static_cast<std::int64_t>(event.timestamp_ns) + offset_ns_, event});
            });
        } catch (const Error& e) {
            queue_.push({unix_now_ns(), RecordingNote{"source-failed",
                                                      std::string("packet tracer: ") + e.what()}});
            return;
        }
        const std::uint64_t lost = tracer_->lost_events();
        if (lost > lost_noted) {
            queue_.push({unix_now_ns(),
                         RecordingNote{"lost-events",
                                       fmt::format("the kernel could not queue {} packet events "
                                                   "(ring buffer full)",
                                                   lost - lost_noted),
                                       lost - lost_noted}});
            lost_noted = lost;
        }
    }
}

}  // namespace pathwhy
