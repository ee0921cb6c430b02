#include "snapshot/live_snapshot.h"

#include <ctime>

#include "common/error.h"
#include "docker/docker_snapshot.h"
#include "kernel/kernel_route_query.h"
#include "kernel/kernel_snapshot.h"
#include "kernel/netns.h"

namespace pathwhy {

Snapshot take_live_snapshot(const LiveSnapshotRequest& request) {
    Snapshot snapshot;
    snapshot.taken_at_unix = std::time(nullptr);
    snapshot.netns = request.netns;
    {
        // Only the kernel reads happen inside the namespace: the Docker socket is a file, and a
        // tcp:// endpoint is reached from where pathwhy was started, as the user expects.
        std::optional<NetnsScope> inside;
        if (!request.netns.empty()) inside.emplace(request.netns);
        snapshot.kernel = read_kernel_state();
        for (const auto& destination : request.destinations)
            snapshot.kernel_answers[destination] = ask_kernel_route(destination);
    }
    snapshot.docker = read_docker_state(request.docker, request.daemon_json);
    if (!request.docker.is_default() && snapshot.docker.status == DockerStatus::unreachable)
        throw Error("read Docker's networks", snapshot.docker.error,
                    "check --docker-host / DOCKER_HOST, or unset it to diagnose routes only");
    return snapshot;
}

}  // namespace pathwhy
