// `pathwhy demo [SCENARIO]`: a seed incident (scenario/catalog.h; 000 by default) rebuilt in a
// throwaway lab (namespaces and a real dockerd), its symptom shown, then diagnosed by pathwhy
// exactly as a user would run it, optionally healed and diagnosed again, then torn down.
#pragma once

#include "cli/command.h"
#include "cli/options.h"

namespace pathwhy {

// 0 when pathwhy named the culprit (and, with --heal, then found the path healthy), 1 when it
// did not, 2 on error — an unknown scenario included.
int run_demo(const DemoOptions& options);

Command add_demo_command(CLI::App& app);

}  // namespace pathwhy
