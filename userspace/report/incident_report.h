// An incident report made from a recording: what happened, in order, to traffic of the watched
// prefixes — each incident with its timeline (last healthy traffic, the Docker network and route
// behind it, the first misrouted or dropped packet, ICMP errors, recovery), its root cause, its
// impact, and the fix — plus what the recording covers and what it could not see. Built by
// replaying the recording through the same IncidentTracker, and so the same explainer, that
// `pathwhy record` ran live; rendered by incident_document.h (text, Markdown, HTML) and
// incident_json.h.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "explain/incident_tracker.h"
#include "record/recording_reader.h"
#include "record/records.h"

namespace pathwhy {

struct TimelineEntry {
    std::int64_t time_ns = 0;
    // Stable ids (JSON): recording-started, last-healthy-traffic, docker-network-created,
    // earlier-networks, route-added, incident-opened, first-misrouted-packet,
    // first-dropped-packet, first-failed-connection, icmp-error, docker-network-removed,
    // route-removed, incident-resolved, healthy-again, recording-ended.
    std::string kind;
    std::string text;
    // How a reader should take it: "ok" (healthy), "cause" (what led to the incident), "bad"
    // (the incident and its symptoms), "info".
    std::string tone = "info";
};

struct IncidentImpact {
    std::size_t flows = 0;                   // distinct flows misrouted, dropped or failed
    std::optional<std::uint64_t> packets;    // seen by the packet tracer; nullopt without it
    std::uint64_t icmp_errors = 0;
    std::string basis;                       // how flows were counted: "packet tracer", "conntrack"
    std::int64_t duration_ns = 0;            // opened to resolved, or to the recording's end
    bool ongoing = false;                    // still open when the recording ended
    std::vector<std::string> sample_flows;   // a few, "tcp 172.31.151.55:40312 → 172.18.2.172:8080"
    bool truncated = false;                  // more flows than the report keeps: counts are lower bounds
};

struct IncidentSection {
    WatchedIncident incident;  // finding: the latest while it was open (the richest evidence)
    std::vector<TimelineEntry> timeline;
    IncidentImpact impact;
};

// A note about the recording with the time it concerns: a source not recorded, a missing
// packet view, events lost, Docker unreachable for a while, a damaged stretch of file.
struct RecordingRemark {
    std::optional<std::int64_t> time_ns;
    std::string text;
};

struct IncidentReport {
    std::vector<std::string> files;
    std::optional<SessionInfo> session;  // the first file's
    std::optional<std::int64_t> first_ns, last_ns;  // what the readable records cover
    bool complete = true;                           // no damage, no record skipped
    bool cut_off = false;  // a file ends in a damaged or half-written stretch
    std::vector<RecordingRemark> damage;            // where the files are damaged and what it costs
    std::vector<RecordingRemark> remarks;
    std::vector<IncidentSection> incidents;
    std::vector<IncidentMark> alerts;  // what the recorder raised live, in order
    std::uint64_t snapshots = 0, events = 0;
    std::uint64_t lost_events = 0;  // packet events the kernel could not queue
    // Packets seen entering a netfilter hook and never leaving it, not counted as drops, by why.
    std::map<UnfinishedPacket::Cause, std::size_t> unfinished_packets;
};

// Replays records in order. The pure core of build_incident_report(), for tests.
class IncidentReportBuilder {
  public:
    IncidentReportBuilder();
    ~IncidentReportBuilder();
    IncidentReportBuilder(IncidentReportBuilder&&) noexcept;
    IncidentReportBuilder& operator=(IncidentReportBuilder&&) noexcept;

    void add(const Record& record);
    // What reading a file found: its coverage and damage.
    void add_file(const RecordingReadSummary& summary);
    IncidentReport finish();

  private:
    struct State;
    std::unique_ptr<State> state_;
};

// Reads the files in the order given (e.g. FILE.1 FILE) and builds the report. Throws
// pathwhy::Error when a file is not a recording at all, or when no session record survived (the
// watched prefixes are then unknown); damage short of that is reported, not thrown.
IncidentReport build_incident_report(const std::vector<std::string>& files);

}  // namespace pathwhy
