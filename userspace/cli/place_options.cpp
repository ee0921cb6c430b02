#include "cli/place_options.h"

#include <optional>

#include "docker/docker_endpoint.h"

namespace pathwhy {

void add_place_options(CLI::App& app, const std::string& verb, std::string& netns,
                       std::string& docker_host, std::string& daemon_json) {
    app.add_option("--netns", netns,
                   verb +
                       " inside this network namespace: a name from `ip netns list` or a "
                       "path such as /proc/PID/ns/net");
    app.add_option("--docker-host", docker_host,
                   "Docker Engine API endpoint (unix:///path or tcp://host:port); default "
                   "$DOCKER_HOST, then unix:///var/run/docker.sock");
    app.add_option("--daemon-json", daemon_json,
                   "Docker daemon configuration to read address pools from")
        ->capture_default_str();
}

LiveSnapshotRequest snapshot_request(const std::string& netns, const std::string& docker_host,
                                     const std::string& daemon_json) {
    LiveSnapshotRequest request;
    request.netns = netns;
    request.docker =
        resolve_engine_endpoint(docker_host.empty() ? std::nullopt : std::optional(docker_host));
    request.daemon_json = daemon_json;
    return request;
}

}  // namespace pathwhy
