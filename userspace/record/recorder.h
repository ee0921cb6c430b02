// `pathwhy record`: a long-running, cheap recording of everything that decides where watched
// traffic goes — the packet tracer filtered in the kernel to the watched prefixes, Docker's event
// stream, rtnetlink's announcements, conntrack's events for watched flows, and a full snapshot at
// the start and whenever a change touches a watched prefix — written to a recording
// (docs/record-format.md). The same explainer as live diagnosis runs on every snapshot and on
// fresh packet evidence; an incident opening or closing is announced at once (incident_alerts.h).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "model/ipv4.h"
#include "record/recording_writer.h"
#include "snapshot/live_snapshot.h"

namespace pathwhy {

struct RecorderOptions {
    std::vector<Ipv4Cidr> watched;
    std::string output = "pathwhy.rec";
    RecordingLimits limits;
    std::optional<std::chrono::seconds> duration;  // nullopt: until stopped
    // Where to look: netns ("" = pathwhy's own), Docker endpoint, daemon.json; what each
    // snapshot asks beyond that is the recorder's business.
    LiveSnapshotRequest place;
    std::string on_incident;  // a shell command; "" for none
    std::chrono::seconds on_incident_limit{10};
    // Written (empty) once recording has begun, for tests that must not race the recorder.
    std::string ready_file;
};

// Records until SIGINT/SIGTERM (an InterruptGuard must be alive: common/interrupt.h), the duration
// ends, or the recording cannot be written. Setup problems (no such namespace, the file cannot be
// created, an explicit Docker endpoint that does not answer) throw pathwhy::Error; a write error
// later (the disk full) stops recording, keeps what was written and throws too. Sources that
// cannot run (no conntrack, no BPF) are named and left out.
void record(const RecorderOptions& options);

}  // namespace pathwhy
