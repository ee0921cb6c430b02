// A real dockerd running inside a lab namespace, with every file it writes under the lab's own
// data directory: data root, exec root, sockets, pidfile, log, its supervised containerd, even
// the trust key it would otherwise drop in /etc/docker. It never sees the machine's
// /etc/docker/daemon.json and never shares a containerd with another lab.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/process.h"
#include "lab/docker_engine.h"
#include "lab/lab_dir.h"
#include "lab/netns.h"

namespace pathwhy::lab {

// One entry of daemon.json's "default-address-pools": {"base": "192.168.0.0/16", "size": 24}.
struct AddressPool {
    std::string base;
    int size = 0;
};

struct DockerdOptions {
    // Which engine (docker_engine.h): "20.10" or "26.1"; PATHWHY_LAB_ENGINE or 20.10 by default.
    std::string engine = default_engine();
    // Another program instead of the engine's dockerd (a test's "false"); empty: the engine's.
    std::string binary;
    // Scaled by PATHWHY_LAB_SLOWDOWN (slowdown.h). Generous: a busy 2-core machine has taken
    // 20 s, and only a dockerd that fails to start ever waits it out.
    std::chrono::milliseconds ready_timeout{60'000};
    // daemon.json settings a seed incident depends on; empty keeps Docker's defaults.
    std::string bip;
    std::vector<AddressPool> default_address_pools;
    // "userland-proxy": where a packet to a published port that skips the DNAT rule lands
    // (docker-proxy, or with false nowhere); nullopt keeps Docker's default (on).
    std::optional<bool> userland_proxy;
    // The settings above as dockerd flags (--bip, --default-address-pool, --userland-proxy=)
    // instead of daemon.json keys, as a systemd unit's ExecStart may give them: the lab's config
    // file then holds only the lab's own paths.
    bool settings_on_command_line = false;
};

class LabDockerd {
  public:
    // Creates DIR, starts `nsenter --net=NS dockerd ...` logging to DIR/dockerd.log and waits
    // until GET /_ping answers. Throws Error quoting the log's last lines if dockerd exits or does
    // not answer in time; whatever was started is gone again by then.
    LabDockerd(const LabNamespace& ns, const std::string& dir, const DockerdOptions& options = {});
    // Removes every container (so no shim outlives dockerd), stops dockerd with SIGTERM (SIGKILL
    // after a grace period), then sweeps DIR: leftover containerd/shim processes, mounts, files.
    // Never throws.
    ~LabDockerd();
    LabDockerd(const LabDockerd&) = delete;
    LabDockerd& operator=(const LabDockerd&) = delete;

    const std::string& dir() const { return dir_.path(); }
    std::string socket_path() const;
    std::string docker_host() const;  // "unix:///tmp/pathwhy-lab-123-0/docker.sock"
    pid_t pid() const { return daemon_->pid(); }
    pid_t containerd_pid() const { return containerd_; }   // dockerd's supervised containerd
    const std::string& engine() const { return engine_; }  // "26.1", as DockerdOptions named it
    // What the running daemon's /version says: "26.1.5+dfsg1".
    const std::string& server_version() const { return server_version_; }

    // Stops dockerd and starts it again on the same data root with OPTIONS written to its
    // daemon.json, as `systemctl restart docker` after editing /etc/docker/daemon.json: networks
    // and images survive; the engine stays the one running. Containers are removed first (as the
    // destructor does: busybox `sleep` ignores SIGTERM). Throws Error as the constructor does.
    void restart(const LabNamespace& ns, const DockerdOptions& options);

    // `docker -H unix://... ARGS...` with the CLI on PATH (it negotiates the API version down);
    // returns stdout, throws Error on failure.
    std::string docker(const std::vector<std::string>& args, RunOptions options = {}) const;

  private:
    void start(const LabNamespace& ns, const DockerdOptions& options);
    void wait_ready(const LabNamespace& ns, const DockerdOptions& options);
    std::string log_tail(std::size_t lines) const;

    LabDir dir_;
    std::optional<ChildProcess> daemon_;  // declared after dir_: stopped before the sweep
    pid_t containerd_ = 0;
    std::string engine_;
    std::string server_version_;
};

// For a lab whose process died: if DIR/docker.pid names a live dockerd serving DIR, removes its
// containers and stops it with SIGTERM, as LabDockerd's destructor would have. Leaves DIR itself
// to remove_lab_dir(). Never throws; returns what went wrong.
std::vector<std::string> stop_orphaned_dockerd(const std::string& dir);

}  // namespace pathwhy::lab
