// `pathwhy demo`: seed incident 000 rebuilt in a throwaway lab (namespaces and a real dockerd),
// its symptom shown, then diagnosed by pathwhy exactly as a user would run it, then torn down.
#pragma once

#include "cli/command.h"
#include "cli/options.h"

namespace pathwhy {

// 0 when pathwhy named the network that swallowed the peer, 1 when it did not, 2 on error.
int run_demo(const DemoOptions& options);

Command add_demo_command(CLI::App& app);

}  // namespace pathwhy
