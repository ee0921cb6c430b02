// The recorder's packet-level evidence: the packet tracer (trace/packet_tracer.h) attached for the
// watched prefixes in the recorded namespace, its events placed on the wall clock, and the events
// the kernel could not queue counted into notes. What this kernel cannot give (no netfilter links
// before 6.4, ...) is in views(), recorded in the session, and named in every report. When it
// stops reading, a "tracer-stopped" note says so: nothing it saw after that is in the recording.
#pragma once

#include <cstdint>
#include <optional>
#include <thread>
#include <vector>

#include "record/record_queue.h"
#include "trace/kernel_features.h"
#include "trace/packet_tracer.h"

namespace pathwhy {

class TracerSource {
  public:
    // Attaches at once. Throws pathwhy::Error when nothing at all can be traced (no BPF rights).
    TracerSource(const std::string& netns, const std::vector<Ipv4Cidr>& watched,
                 std::int64_t monotonic_to_unix_ns, RecordQueue& queue);
    ~TracerSource();
    TracerSource(const TracerSource&) = delete;
    TracerSource& operator=(const TracerSource&) = delete;

    const KernelViews& views() const { return tracer_->views(); }

  private:
    void run(std::stop_token stop);
    std::int64_t now_on_event_clock() const;

    KernelFeatures features_;
    std::optional<PacketTracer> tracer_;
    std::int64_t offset_ns_;
    RecordQueue& queue_;
    std::jthread thread_;  // last: joined before the tracer detaches
};

}  // namespace pathwhy
