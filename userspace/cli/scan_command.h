// `pathwhy scan [--peer CIDR ...]`: the whole host (or --netns) checked for every known trap at
// once — leaked compose networks, Docker subnets overlapping a route or a peer range, conntrack
// entries holding an old NAT for a published port — printed like a diagnosis's findings.
#pragma once

#include "cli/command.h"
#include "cli/options.h"

namespace pathwhy {

// 0 when nothing was found, 1 when anything was (a warning too), 2 when the scan could not run.
int run_scan(const ScanOptions& options);

Command add_scan_command(CLI::App& app);

}  // namespace pathwhy
