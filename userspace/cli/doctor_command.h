// `pathwhy doctor [--netns NAME] [--json]`: what this kernel lets pathwhy see of the packet path.
// Probes the features, then attaches the tracer for real in the namespace (watching nothing, so
// it reports nothing) and prints each view — route lookups, netfilter verdicts, NAT, conntrack,
// drops, ICMP errors, neighbours — as active or not, by which mechanism, why not, and what the
// user loses without it.
#pragma once

#include <string>

#include "cli/command.h"
#include "model/kernel_views.h"

namespace pathwhy {

struct DoctorOptions {
    std::string netns;  // "" = pathwhy's own namespace
    bool json = false;
};

// 0 when every view is active, 1 when some are missing, 2 on error (thrown as Error).
int run_doctor(const DoctorOptions& options);

Command add_doctor_command(CLI::App& app);

}  // namespace pathwhy
