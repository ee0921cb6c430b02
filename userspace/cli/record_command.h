// `pathwhy record --watch CIDR ...`: records until stopped (Ctrl-C, SIGTERM, --duration) what
// decides where the watched traffic goes, announcing incidents as they happen (record/recorder.h).
#pragma once

#include "cli/command.h"

namespace pathwhy {

Command add_record_command(CLI::App& app);

}  // namespace pathwhy
