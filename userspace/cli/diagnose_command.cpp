#include "cli/diagnose_command.h"

#include <cstdio>

#include "cli/place_options.h"
#include "cli/target.h"
#include "cli/terminal.h"
#include "cli/traced_diagnosis.h"
#include "report/json_report.h"
#include "report/text_report.h"

namespace pathwhy {

DiagnosisContext context_of(const Snapshot& snapshot) {
    return {snapshot.netns, snapshot.docker.status, snapshot.docker.endpoint,
            snapshot.docker.server_version, snapshot.docker.error};
}

LiveDiagnosis diagnose_live(const DiagnoseOptions& options) {
    const Target target = parse_target(options.destination);
    const LiveSnapshotRequest request =
        snapshot_request(options.netns, options.docker_host, options.daemon_json);
    if (options.trace.requested()) return diagnose_traced(target, request, options.trace);
    return diagnose_target(target, request);
}

nlohmann::json live_diagnosis_json(const LiveDiagnosis& live) {
    return diagnosis_to_json(live.diagnosis, context_of(live.snapshot));
}

void print_diagnosis(const LiveDiagnosis& live, bool json) {
    if (json) {
        std::printf("%s\n", live_diagnosis_json(live).dump(2).c_str());
    } else {
        std::fputs(render_text(live.diagnosis, TextStyle{use_color(stdout)}).c_str(), stdout);
    }
    std::fflush(stdout);
}

Diagnosis diagnose_and_print(const DiagnoseOptions& options) {
    LiveDiagnosis live = diagnose_live(options);
    print_diagnosis(live, options.json);
    return std::move(live.diagnosis);
}

int run_diagnose(const DiagnoseOptions& options) {
    return diagnose_and_print(options).verdict == Verdict::ok ? kExitHealthy : kExitProblem;
}

}  // namespace pathwhy
