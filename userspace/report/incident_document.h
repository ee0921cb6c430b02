// The words of an incident report, written once for every human format: what was recorded, each
// incident's timeline, root cause, impact, fix and prevention, and what the recording could not
// see or lost. The renderers in document.h lay it out as text, Markdown or HTML.
#pragma once

#include <string>

#include "report/document.h"
#include "report/incident_report.h"

namespace pathwhy {

Document incident_document(const IncidentReport& report);
// "pathwhy incident report: 172.31.0.0/16 on ci-runner-7, 2022-11-02"
std::string incident_report_title(const IncidentReport& report);

}  // namespace pathwhy
