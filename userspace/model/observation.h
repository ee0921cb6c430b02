// What the packet tracer saw while pathwhy sent a probe or watched traffic, as the explainer takes
// it beside the Snapshot: the events in the order they happened, which kernel views were active
// (a missing one is named in every diagnosis), how many events the kernel could not queue, where
// the events end, and what was done to provoke them. Live diagnosis fills it; a recording's
// incident tracker builds the same from what was recorded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/kernel_views.h"
#include "model/observed_event.h"

namespace pathwhy {

struct Observation {
    enum class Mode { probe, watch };

    Mode mode = Mode::watch;
    std::string probe;  // "tcp:443", "udp:53", "icmp"; "" when watching
    std::string from;   // "container:NAME" when the probe left from a container, else ""
    int watch_seconds = 0;
    bool interrupted = false;  // watching ended early (Ctrl-C)
    std::string outcome;       // what the probe's socket said: "connected", "No route to host"...
    std::uint64_t outcome_after_ms = 0;

    std::vector<ObservedEvent> events;  // by timestamp
    KernelViews views;
    std::uint64_t lost_events = 0;  // while these events were seen
    // Where the events end, when known (CLOCK_MONOTONIC, the events' clock): a packet seen
    // entering a hook just before may have left it unseen. Either the tracer stopped there, or
    // this look at the events ends there and a later one will see further (a recording's
    // incremental checks).
    std::optional<std::uint64_t> events_end_ns;
    bool tracer_stopped = false;  // at events_end_ns

    bool view_active(KernelView view) const {
        for (const auto& status : views)
            if (status.view == view) return status.active;
        return false;
    }
};

}  // namespace pathwhy
