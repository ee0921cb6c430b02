#include "cli/diagnose_command.h"

#include <cstdio>
#include <optional>

#include "cli/terminal.h"
#include "common/error.h"
#include "docker/docker_endpoint.h"
#include "explain/explainer.h"
#include "report/json_report.h"
#include "report/text_report.h"
#include "snapshot/live_snapshot.h"

namespace pathwhy {

namespace {

Ipv4Address parse_destination(const std::string& text) {
    if (auto address = Ipv4Address::parse(text)) return *address;
    if (Ipv4Cidr::parse(text))
        throw Error("diagnose '" + text + "'", "that is a prefix; give one address in it",
                    "e.g. pathwhy 172.31.151.55");
    if (text.find(':') != std::string::npos)
        throw Error("diagnose '" + text + "'", "IPv6 destinations are not supported yet",
                    "give an IPv4 address");
    throw Error("diagnose '" + text + "'", "not an IPv4 address",
                "pathwhy takes addresses; for a name, look it up first: getent hosts NAME");
}

DiagnosisContext context_of(const Snapshot& snapshot) {
    return {snapshot.netns, snapshot.docker.status, snapshot.docker.endpoint,
            snapshot.docker.server_version, snapshot.docker.error};
}

}  // namespace

Diagnosis diagnose_and_print(const DiagnoseOptions& options) {
    const Ipv4Address destination = parse_destination(options.destination);
    LiveSnapshotRequest request;
    request.netns = options.netns;
    request.docker = resolve_engine_endpoint(
        options.docker_host.empty() ? std::nullopt : std::optional(options.docker_host));
    request.daemon_json = options.daemon_json;
    request.destinations = {destination};

    const Snapshot snapshot = take_live_snapshot(request);
    const Diagnosis diagnosis = explain_destination(snapshot, destination);
    if (options.json) {
        std::printf("%s\n", diagnosis_to_json(diagnosis, context_of(snapshot)).dump(2).c_str());
    } else {
        std::fputs(render_text(diagnosis, TextStyle{use_color(stdout)}).c_str(), stdout);
    }
    std::fflush(stdout);
    return diagnosis;
}

int run_diagnose(const DiagnoseOptions& options) {
    return diagnose_and_print(options).verdict == Verdict::ok ? kExitHealthy : kExitProblem;
}

}  // namespace pathwhy
