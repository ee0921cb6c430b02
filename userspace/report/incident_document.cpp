#include "report/incident_document.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "record/time_text.h"

namespace pathwhy {
namespace {

std::string watched_text(const IncidentReport& report) {
    std::string text;
    if (report.session)
        for (const auto& prefix : report.session->watched)
            text += (text.empty() ? "" : ", ") + prefix.str();
    return text.empty() ? "(unknown)" : text;
}

std::string when(const std::optional<std::int64_t>& time_ns) {
    return time_ns ? clock_time(*time_ns) + "  " : "";
}

void describe_recording(Document& doc, const IncidentReport& report) {
    const SessionInfo& session = *report.session;
    std::string where = session.hostname.empty() ? "" : " on " + session.hostname;
    if (!session.netns.empty()) where += " (network namespace " + session.netns + ")";
    doc.paragraph(fmt::format("Recorded by pathwhy {}{}, watching {}.", session.pathwhy_version,
                              where, watched_text(report)));
    if (report.first_ns && report.last_ns) {
        std::string covers = fmt::format("The report covers {} {}–{} UTC ({})",
                                         date_text(*report.first_ns), clock_time(*report.first_ns),
                                         clock_time(*report.last_ns),
                                         duration_text(*report.last_ns - *report.first_ns));
        if (report.complete)
            covers += ".";
        else if (report.cut_off)
            covers += "; the rest of the recording is damaged or was never written (below).";
        else
            covers += "; parts of the recording are damaged (below).";
        doc.paragraph(covers, report.complete ? "" : "bad");
    }
}

void describe_impact(Document& doc, const IncidentImpact& impact, const IncidentReport& report) {
    std::vector<std::string> lines;
    lines.push_back(impact.ongoing
                        ? "lasted " + duration_text(impact.duration_ns) +
                              " until the recording ended, and was still going on then"
                        : "lasted " + duration_text(impact.duration_ns) +
                              ", from its cause to recovery");
    if (!impact.basis.empty())
        lines.push_back(fmt::format("{}{} flow{} affected ({})", impact.truncated ? "at least " : "",
                                    impact.flows, impact.flows == 1 ? "" : "s", impact.basis));
    if (impact.packets)
        lines.push_back(fmt::format("{} packet{} misrouted or dropped (packet tracer)", *impact.packets,
                                    *impact.packets == 1 ? "" : "s"));
    else
        lines.push_back("packets were not counted: the packet tracer did not run");
    if (impact.icmp_errors)
        lines.push_back(fmt::format("{} ICMP error{} sent back", impact.icmp_errors,
                                    impact.icmp_errors == 1 ? "" : "s"));
    if (impact.basis.empty() && report.session)
        lines.push_back("no watched traffic was seen while it lasted");
    doc.list(std::move(lines));
    if (!impact.sample_flows.empty()) {
        doc.paragraph("Flows affected, first ones:");
        doc.list(impact.sample_flows);
    }
}

void describe_incident(Document& doc, std::size_t number, const IncidentSection& section,
                       const IncidentReport& report) {
    const WatchedIncident& incident = section.incident;
    const Finding& finding = incident.finding;
    doc.heading(2, fmt::format("Incident {}: {} on {}", number, finding.kind, incident.watched.str()),
                "bad");
    doc.paragraph(finding.summary, "bad");
    doc.paragraph(incident.closed_ns
                      ? fmt::format("Detected at {}, resolved at {} UTC.",
                                    clock_time(incident.opened_ns), clock_time(*incident.closed_ns))
                      : fmt::format("Detected at {} UTC; still open when the recording ended.",
                                    clock_time(incident.opened_ns)));

    doc.heading(3, "Timeline (UTC, " + date_text(incident.opened_ns) + ")");
    std::vector<DocTimelineItem> items;
    for (const auto& entry : section.timeline) items.push_back({entry.time_ns, entry.text, entry.tone});
    doc.timeline(std::move(items));

    doc.heading(3, "Root cause");
    doc.paragraph(finding.summary);
    if (!finding.direction.empty())
        doc.paragraph(finding.direction == "reply"
                          ? "Direction: replies. Packets from the watched peer arrive; the answers "
                            "are routed into the bridge."
                          : "Direction: outbound. This host's packets to the watched peer are "
                            "routed into the bridge.");
    if (finding.docker_network) {
        const NetworkRef& network = *finding.docker_network;
        std::vector<std::vector<std::string>> rows{
            {"network", network.name},
            {"id", network.id.substr(0, 12)},
            {"subnet", network.subnet},
            {"bridge", network.bridge},
            {"compose project", network.compose_project.empty() ? "(none)" : network.compose_project},
            {"created", network.created}};
        std::string containers;
        for (const auto& container : network.containers)
            containers += (containers.empty() ? "" : ", ") + container.name +
                          (container.ipv4 ? " " + container.ipv4->str() : "");
        rows.push_back({"containers", containers.empty() ? "(none)" : containers});
        doc.table({"Docker network", ""}, std::move(rows));
    }
    if (!finding.evidence.empty()) {
        doc.paragraph("Evidence:");
        doc.list(finding.evidence);
    }

    doc.heading(3, "Impact");
    describe_impact(doc, section.impact, report);

    if (!finding.fix.empty()) {
        doc.heading(3, "Fix now");
        doc.commands(finding.fix);
    }
    if (!finding.prevent.empty()) {
        doc.heading(3, "Prevent it");
        doc.code(finding.prevent);
    }
}

}  // namespace

std::string incident_report_title(const IncidentReport& report) {
    std::string title = "pathwhy incident report: " + watched_text(report);
    if (report.session && !report.session->hostname.empty()) title += " on " + report.session->hostname;
    if (report.first_ns) title += ", " + date_text(*report.first_ns);
    return title;
}

Document incident_document(const IncidentReport& report) {
    Document doc;
    doc.heading(1, incident_report_title(report));
    describe_recording(doc, report);
    if (report.incidents.empty())
        doc.paragraph("No incident: every watched prefix resolved as it should for as long as the "
                      "recording covers.",
                      "ok");
    else
        doc.paragraph(fmt::format("{} incident{} found.", report.incidents.size(),
                                  report.incidents.size() == 1 ? "" : "s"),
                      "bad");
    for (std::size_t i = 0; i < report.incidents.size(); ++i)
        describe_incident(doc, i + 1, report.incidents[i], report);

    doc.heading(2, "About this recording");
    std::vector<std::string> about;
    about.push_back(fmt::format("{} snapshot{} and {} event{} read from {}", report.snapshots,
                                report.snapshots == 1 ? "" : "s", report.events,
                                report.events == 1 ? "" : "s",
                                fmt::format("{}", fmt::join(report.files, ", "))));
    for (const auto& remark : report.damage) about.push_back(when(remark.time_ns) + remark.text);
    for (const auto& remark : report.remarks) about.push_back(when(remark.time_ns) + remark.text);
    for (const auto& alert : report.alerts)
        about.push_back(fmt::format("the recorder alerted: {} {} {}", alert.opened ? "INCIDENT" : "RESOLVED",
                                    alert.watched.str(), alert.kind));
    doc.list(std::move(about));
    if (report.session && !report.session->sources.empty()) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& source : report.session->sources)
            rows.push_back({source.name, source.active ? "recorded" : "not recorded", source.detail});
        doc.table({"source", "status", "detail"}, std::move(rows));
    }
    return doc;
}

}  // namespace pathwhy
