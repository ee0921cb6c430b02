// read_docker_state(): what makes Docker "absent" rather than broken, and the mapping of every
// Docker-side failure onto DockerState. The calls themselves are EngineClient's.
#include "docker/docker_snapshot.h"

#include <sys/stat.h>

#include <cerrno>

#include "docker/docker_error.h"
#include "docker/engine_client.h"

namespace pathwhy {

namespace {

// Only the built-in default can be "absent": an endpoint the user named must exist.
bool default_socket_missing(const EngineEndpoint& endpoint) {
    if (!endpoint.is_default() || endpoint.transport != EngineEndpoint::Transport::unix_socket)
        return false;
    struct stat st;
    return ::stat(endpoint.socket_path.c_str(), &st) != 0 && (errno == ENOENT || errno == ENOTDIR);
}

}  // namespace

DockerState read_docker_state(const EngineEndpoint& endpoint, const std::string& daemon_json_path,
                              const HttpLimits& limits) {
    DockerState state;
    state.endpoint = endpoint.url();
    state.daemon_config = read_daemon_config(daemon_json_path);
    if (default_socket_missing(endpoint)) {
        state.status = DockerStatus::absent;
        state.error = "no Docker socket at " + endpoint.socket_path;
        return state;
    }
    try {
        EngineClient client(endpoint, limits);
        state.server_version = client.server().version;
        state.api_version = client.api_version().str();

        std::vector<DockerNetwork> networks = client.networks();
        std::vector<DockerContainer> containers = client.containers();

        state.networks = std::move(networks);
        state.containers = std::move(containers);
        state.status = DockerStatus::ok;
    } catch (const DockerError& e) {
        state.status = e.status();
        state.error = e.line();
    } catch (const std::exception& e) {  // e.g. bad_alloc on a huge answer: still not fatal
        state.status = DockerStatus::error;
        state.error = "cannot query Docker at " + state.endpoint + ": " + e.what();
    }
    return state;
}

}  // namespace pathwhy
