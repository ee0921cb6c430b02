// Where a command looks: --netns, --docker-host and --daemon-json, defined once for every command
// that reads a live host (the diagnosis, scan), so their spelling and help stay the same, and
// turned into a snapshot request the same way.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "snapshot/live_snapshot.h"

namespace pathwhy {

// `verb` starts the --netns help: "diagnose inside this network namespace ...".
void add_place_options(CLI::App& app, const std::string& verb, std::string& netns,
                       std::string& docker_host, std::string& daemon_json);

// netns: "" = pathwhy's own; docker_host: "" = $DOCKER_HOST, then the default socket. Throws
// Error for a docker_host that cannot be an endpoint.
LiveSnapshotRequest snapshot_request(const std::string& netns, const std::string& docker_host,
                                     const std::string& daemon_json);

}  // namespace pathwhy
