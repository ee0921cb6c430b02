#include "record/tracer_source.h"

#include <fmt/format.h>

#include "common/error.h"
#include "record/time_text.h"
#include "record/relevance.h"

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

void TracerSource::run(std::stop_token stop) {
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
