// `pathwhy <target>`: parse the target, take a live snapshot (inside --netns if given), explain
// it, print the answer as text or JSON, and map the verdict to the exit code.
#pragma once

#include <nlohmann/json.hpp>

#include "cli/options.h"
#include "cli/target_diagnosis.h"
#include "explain/diagnosis.h"
#include "report/json_report.h"

namespace pathwhy {

// The diagnosis of options.destination (any target form) with the snapshot it was made from.
LiveDiagnosis diagnose_live(const DiagnoseOptions& options);
void print_diagnosis(const LiveDiagnosis& live, bool json);
// The --json object: the diagnosis and where it looked.
nlohmann::json live_diagnosis_json(const LiveDiagnosis& live);
// Where a snapshot looked (namespace, Docker), reported beside what was found there.
DiagnosisContext context_of(const Snapshot& snapshot);

// Diagnoses and prints; returns the diagnosis for callers that check it (the demo).
Diagnosis diagnose_and_print(const DiagnoseOptions& options);

int run_diagnose(const DiagnoseOptions& options);

}  // namespace pathwhy
