// What a recording holds: a sequence of timestamped records, each one of the model's values
// (a Snapshot, an ObservedEvent, a DockerEvent, a KernelChange, a ConntrackEvent) or one of the
// recording's own (the session it belongs to, an incident raised live, a note about the
// recording itself such as lost events). Written by the recorder, read back by `pathwhy report`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/conntrack_event.h"
#include "model/docker_event.h"
#include "model/ipv4.h"
#include "model/kernel_change.h"
#include "model/kernel_views.h"
#include "model/observed_event.h"
#include "model/snapshot.h"

namespace pathwhy {

// Whether a source of evidence ran, and if not, why: shown in every report made from the file.
struct SourceStatus {
    std::string name;  // "docker events", "rtnetlink monitor", "conntrack events", "packet tracer"
    bool active = false;
    std::string detail;  // the reason when inactive, what it watches when active
};

// Opens every file of a recording (and each rotated file again), so each file stands alone.
struct SessionInfo {
    std::string pathwhy_version;
    std::string hostname;
    std::string netns;  // as given with --netns, "" for pathwhy's own
    std::string docker_endpoint;
    std::vector<Ipv4Cidr> watched;
    std::int64_t started_unix_ns = 0;
    // CLOCK_REALTIME - CLOCK_MONOTONIC when the session started: ObservedEvent timestamps are
    // monotonic (they come from bpf_ktime_get_ns) and are placed on the wall clock with it.
    std::int64_t monotonic_to_unix_ns = 0;
    std::uint32_t file_index = 0;  // 0 for the first file of the session, +1 per rotation
    KernelViews views;             // the packet tracer's views, active or not
    std::vector<SourceStatus> sources;
};

// An incident as the recorder raised it live (stderr line, --on-incident). The report derives
// its own account from the snapshots and events; these show what was alerted, and when.
struct IncidentMark {
    bool opened = true;  // false: the finding no longer holds
    Ipv4Cidr watched;
    Ipv4Address destination;
    std::string kind;     // the finding's kind: route-into-docker-bridge, netfilter-drop ...
    std::string summary;  // the finding's summary line
    std::string finding_json;  // the finding as `pathwhy --json` prints it
};

// Something about the recording itself: events lost, the Docker stream down and back, the
// rtnetlink monitor overrun, the end of the session.
struct RecordingNote {
    std::string kind;  // "lost-events", "docker-disconnected", "docker-reconnected", ...
    std::string text;
    std::uint64_t count = 0;  // for notes that count something: the events lost
};

using RecordBody = std::variant<SessionInfo, Snapshot, ObservedEvent, DockerEvent, KernelChange,
                                ConntrackEvent, IncidentMark, RecordingNote>;

// The on-disk type number of each body, in variant order. Numbers are part of the file format
// (docs/record-format.md): never reuse or renumber one.
enum class RecordType : std::uint8_t {
    session = 1,
    snapshot = 2,
    observed = 3,
    docker_event = 4,
    kernel_change = 5,
    conntrack = 6,
    incident = 7,
    note = 8,
};

struct Record {
    std::int64_t time_unix_ns = 0;  // when it happened (or was received), CLOCK_REALTIME
    RecordBody body;

    RecordType type() const { return static_cast<RecordType>(body.index() + 1); }
};

std::string record_type_name(RecordType type);  // "session", "snapshot", ...

}  // namespace pathwhy
