// `pathwhy <destination>`: take a live snapshot (inside --netns if given), explain it, print the
// answer as text or JSON, and map the verdict to the exit code.
#pragma once

#include "cli/options.h"
#include "explain/diagnosis.h"

namespace pathwhy {

// Diagnoses and prints; returns the diagnosis for callers that check it (the demo).
Diagnosis diagnose_and_print(const DiagnoseOptions& options);

int run_diagnose(const DiagnoseOptions& options);

}  // namespace pathwhy
