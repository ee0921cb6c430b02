// A lab's data directory (/tmp/pathwhy-lab-PID-N) and the removal of everything that hangs off
// it: dockerd keeps its data root, exec root, sockets, containerd state and bind mounts there,
// and containerd's shims and the container processes outlive dockerd if it dies badly. Used by
// LabDockerd on the normal path and by the stale-lab reaper after a crash.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace pathwhy::lab {

class LabDir {
  public:
    // Creates the directory (mode 0700); throws Error if it exists or is not a lab dir name.
    explicit LabDir(std::string path);
    // remove_lab_dir(); never throws, prints what it could not remove.
    ~LabDir();
    LabDir(const LabDir&) = delete;
    LabDir& operator=(const LabDir&) = delete;

    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

// True when TEXT names DIR itself or a path below it ("--data-root /tmp/x/root",
// "unix:///tmp/x/docker.sock"), not a sibling that merely starts the same way
// (/tmp/pathwhy-lab-1-10 for /tmp/pathwhy-lab-1-1).
bool names_path_in(const std::string& text, const std::string& dir);
// Processes tied to DIR: dockerd, containerd and containerd-shim processes with an argument
// naming DIR or a path below it, plus their descendants (docker-proxy, container processes,
// whose arguments name nothing of ours).
std::vector<pid_t> processes_of_lab_dir(const std::string& dir);
// Mount points at or below DIR in our mount namespace (dockerd's bind mount of its data root,
// overlay2 mounts, netns bind mounts under the exec root), deepest first.
std::vector<std::string> mounts_under(const std::string& dir);
// SIGKILLs processes_of_lab_dir() (deleting the sockets their containerd shims leave in
// /run/containerd/s when killed), lazily unmounts mounts_under(), deletes DIR. Refuses any path
// that is not a lab dir. Returns what it could not do; empty when DIR is gone without a trace.
std::vector<std::string> remove_lab_dir(const std::string& dir);

}  // namespace pathwhy::lab
