// What labs leave on the machine, for privileged tests to assert that teardown (or the stale-lab
// reaper) removed all of it: namespaces and data dirs named for an owner pid, mounts under those
// dirs, processes whose arguments name them, and given pids still alive.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace pathwhy::test {

// One line per leftover ("namespace pw123h0", "process 456: dockerd ..."); empty when clean.
// PIDS must be dead and FILES gone as well.
std::vector<std::string> lab_leftovers(pid_t owner, const std::vector<pid_t>& pids = {},
                                       const std::vector<std::string>& files = {});

// The sockets that the owner's labs' containerd shims listen on outside the lab dirs
// (/run/containerd/s/...): taken while a lab runs, to check afterwards that they went with it.
std::vector<std::string> shim_sockets(pid_t owner);

}  // namespace pathwhy::test
