#include "report/incident_json.h"

#include "record/time_text.h"
#include "report/json_report.h"

namespace pathwhy {
namespace {

using nlohmann::json;

json optional_time(const std::optional<std::int64_t>& time_ns) {
    return time_ns ? json(iso_time(*time_ns)) : json(nullptr);
}

json remarks_to_json(const std::vector<RecordingRemark>& remarks) {
    json out = json::array();
    for (const auto& remark : remarks)
        out.push_back({{"time", optional_time(remark.time_ns)}, {"text", remark.text}});
    return out;
}

json session_to_json(const SessionInfo& session) {
    json watched = json::array(), views = json::array(), sources = json::array();
    for (const auto& prefix : session.watched) watched.push_back(prefix.str());
    for (const auto& view : session.views)
        views.push_back({{"view", kernel_view_id(view.view)},
                         {"active", view.active},
                         {"reason", view.reason}});
    for (const auto& source : session.sources)
        sources.push_back(
            {{"name", source.name}, {"active", source.active}, {"detail", source.detail}});
    return {{"pathwhy", session.pathwhy_version},
            {"hostname", session.hostname},
            {"netns", session.netns.empty() ? json(nullptr) : json(session.netns)},
            {"docker_endpoint", session.docker_endpoint},
            {"watched", watched},
            {"started", iso_time(session.started_unix_ns)},
            {"views", views},
            {"sources", sources}};
}

json section_to_json(const IncidentSection& section) {
    const WatchedIncident& incident = section.incident;
    json timeline = json::array();
    for (const auto& entry : section.timeline)
        timeline.push_back({{"time", iso_time(entry.time_ns)},
                            {"kind", entry.kind},
                            {"text", entry.text},
                            {"tone", entry.tone}});
    const IncidentImpact& impact = section.impact;
    return {
        {"watched", incident.watched.str()},
        {"destination", incident.destination.str()},
        {"kind", incident.finding.kind},
        {"summary", incident.finding.summary},
        {"headline", incident.headline},
        {"opened", iso_time(incident.opened_ns)},
        {"resolved", optional_time(incident.closed_ns)},
        {"finding", findings_to_json({incident.finding}).at(0)},
        {"timeline", timeline},
        {"impact",
         {{"flows", impact.flows},
          {"packets", impact.packets ? json(*impact.packets) : json(nullptr)},
          {"icmp_errors", impact.icmp_errors},
          {"basis", impact.basis},
          {"duration_seconds", static_cast<double>(impact.duration_ns) / 1e9},
          {"ongoing", impact.ongoing},
          {"sample_flows", impact.sample_flows},
          {"truncated", impact.truncated}}},
    };
}

}  // namespace

json incident_report_to_json(const IncidentReport& report) {
    json incidents = json::array(), alerts = json::array();
    for (const auto& section : report.incidents) incidents.push_back(section_to_json(section));
    for (const auto& alert : report.alerts)
        alerts.push_back({{"event", alert.opened ? "opened" : "resolved"},
                          {"watched", alert.watched.str()},
                          {"destination", alert.destination.str()},
                          {"kind", alert.kind},
                          {"summary", alert.summary}});
    json unfinished = json::object();
    for (const auto& [cause, count] : report.unfinished_packets)
        unfinished[unfinished_cause_id(cause)] = count;
    return {
        {"files", report.files},
        {"session", report.session ? session_to_json(*report.session) : json(nullptr)},
        {"covers",
         {{"from", optional_time(report.first_ns)},
          {"to", optional_time(report.last_ns)},
          {"complete", report.complete},
          {"cut_off", report.cut_off}}},
        {"damage", remarks_to_json(report.damage)},
        {"remarks", remarks_to_json(report.remarks)},
        {"incidents", incidents},
        {"alerts", alerts},
        {"snapshots", report.snapshots},
        {"events", report.events},
        {"lost_events", report.lost_events},
        {"unfinished_packets", unfinished},
    };
}

}  // namespace pathwhy
