// The one entry point the rest of pathwhy uses: everything Docker knows that can explain a path,
// read in one go. It never throws for Docker-side problems; they become DockerState::status and
// a one-line DockerState::error, because a host without a working Docker still has routes to
// diagnose.
#pragma once

#include <string>

#include "docker/daemon_config.h"
#include "docker/docker_endpoint.h"
#include "docker/http_client.h"
#include "model/docker_state.h"

namespace pathwhy {

// status: absent    the built-in default socket does not exist (no Docker on this host)
//         unreachable  a socket or port that cannot be connected to
//         error     connected, but an HTTP error, a timeout, garbage or JSON of the wrong shape
//         ok        networks (bridge ones with their endpoints) and containers are filled
// daemon.json is read whatever the status.
DockerState read_docker_state(const EngineEndpoint& endpoint,
                              const std::string& daemon_json_path = kDefaultDaemonJson,
                              const HttpLimits& limits = {});

}  // namespace pathwhy
