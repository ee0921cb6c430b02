// The packet tracer around one probe or one watch: attach first (watching the destination, and
// the probing container's addresses), then send the probe and drain events until its outcome and
// a short grace, or watch until the time is up or Ctrl-C; detach on the way out, also on errors.
// Progress goes to stderr, so that --json keeps stdout for the diagnosis.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/container_namespace.h"
#include "cli/trace_options.h"
#include "model/observation.h"

namespace pathwhy {

struct TraceSessionRequest {
    std::string netns;  // the diagnosed namespace ("" = pathwhy's own): tracer and probe
    Ipv4Address destination;
    std::vector<Ipv4Address> also_watched;  // more /32s, e.g. the senders a stale entry catches
    TraceSettings settings;
    std::optional<ContainerNamespace> container;  // --from: the probe leaves from there
};

Observation run_trace_session(const TraceSessionRequest& request);

}  // namespace pathwhy
