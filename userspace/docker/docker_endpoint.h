// Where the Docker Engine API listens, as named by --docker-host, DOCKER_HOST or the built-in
// default. Parsing only: nothing here connects. The source is kept because a missing *default*
// socket means "no Docker on this host" while an explicit endpoint that fails is the user's error.
// (Named EngineEndpoint because model's DockerEndpoint is a container's place on a network.)
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "model/docker_state.h"

namespace pathwhy {

enum class EndpointSource { flag, environment, built_in_default };

struct EngineEndpoint {
    enum class Transport { unix_socket, tcp };

    Transport transport = Transport::unix_socket;
    std::string socket_path;  // unix_socket: absolute path
    std::string host;         // tcp: name or address, IPv6 without brackets
    int port = 0;             // tcp
    EndpointSource source = EndpointSource::built_in_default;

    bool is_default() const { return source == EndpointSource::built_in_default; }
    // Canonical spelling for messages: "unix:///var/run/docker.sock", "tcp://[::1]:2375".
    std::string url() const;
};

// Accepts "unix:///path", "/path" and "tcp://host[:port]" (plain HTTP, port 2375 by default as
// in the docker CLI). Throws pathwhy::Error naming what is wrong with anything else.
EngineEndpoint parse_engine_endpoint(std::string_view text, EndpointSource source);

// --docker-host if given, else DOCKER_HOST, else the default. An empty DOCKER_HOST counts as
// unset, as it does for the docker CLI; an empty --docker-host is an error.
EngineEndpoint resolve_engine_endpoint(const std::optional<std::string>& flag,
                                       const char* docker_host_env = std::getenv("DOCKER_HOST"));

}  // namespace pathwhy
