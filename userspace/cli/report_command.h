// `pathwhy report FILE...`: an incident report from a recording, as text, Markdown, one HTML file
// or JSON (report/incident_report.h), on stdout or into -o OUT.
#pragma once

#include "cli/command.h"

namespace pathwhy {

Command add_report_command(CLI::App& app);

}  // namespace pathwhy
