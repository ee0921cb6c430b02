#include "snapshot/live_snapshot.h"

#include <ctime>

#include "common/error.h"
#include "docker/daemon_config.h"
#include "docker/docker_snapshot.h"
#include "docker/running_daemon.h"
#include "kernel/conntrack_table.h"
#include "kernel/kernel_route_query.h"
#include "kernel/kernel_snapshot.h"
#include "kernel/netns.h"
#include "kernel/ruleset_reader.h"

namespace pathwhy {

namespace {

// A table that cannot be read (no conntrack module, no CAP_NET_ADMIN) is a missing view, named
// in the diagnosis, not a reason to stop.
ConntrackTable read_conntrack_table(const ConntrackFilter& filter) {
    ConntrackTable table;
    try {
        table.entries = read_conntrack(filter);
    } catch (const Error& e) {
        table.error = e.what() + (e.hint().empty() ? std::string{} : " (" + e.hint() + ")");
    }
    return table;
}

}  // namespace

Snapshot take_live_snapshot(const LiveSnapshotRequest& request) {
    Snapshot snapshot;
    snapshot.taken_at_unix = std::time(nullptr);
    snapshot.netns = request.netns;
    // Docker first: a container's address, which the kernel is then asked about, comes from it.
    snapshot.docker = read_docker_state(request.docker, request.daemon_json);
    if (!request.docker.is_default() && snapshot.docker.status == DockerStatus::unreachable)
        throw Error("read Docker's networks", snapshot.docker.error,
                    "check --docker-host / DOCKER_HOST, or unset it to diagnose routes only");
    std::vector<Ipv4Address> destinations = request.destinations;
    if (request.docker_destinations) {
        auto more = request.docker_destinations(snapshot.docker);
        destinations.insert(destinations.end(), more.begin(), more.end());
    }
    {
        // Only the kernel reads happen inside the namespace: the Docker socket is a file, and a
        // tcp:// endpoint is reached from where pathwhy was started, as the user expects.
        std::optional<NetnsScope> inside;
        if (!request.netns.empty()) inside.emplace(request.netns);
        snapshot.kernel = read_kernel_state();
        for (const auto& destination : destinations)
            snapshot.kernel_answers[destination] = ask_kernel_route(destination);
        if (request.read_ruleset) snapshot.ruleset = read_ruleset();
        if (request.conntrack) snapshot.conntrack = read_conntrack_table(*request.conntrack);
    }
    // The daemon as it runs in that namespace: its flags and docker-proxy relays beat daemon.json,
    // and the file it was told to read beats the default path.
    DockerState& docker = snapshot.docker;
    docker.running = read_running_daemon(snapshot.kernel.netns_inode, request.docker);
    const std::string& config_file = docker.running.config_file;
    if (request.daemon_json == kDefaultDaemonJson && !config_file.empty() &&
        config_file != docker.daemon_config.path)
        docker.daemon_config = read_daemon_config(config_file);
    return snapshot;
}

}  // namespace pathwhy
