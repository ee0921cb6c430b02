// Looking at processes we did not necessarily start — dockerd's containerd, container shims, the
// owners of stale labs — through /proc, and waiting for them to end through pidfds (Linux 5.3+),
// which also works for processes that are not our children.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/processes.h"

namespace pathwhy::lab {

// Where the lab's callers have always found them; they live in common/processes.h.
using pathwhy::list_processes;
using pathwhy::process_alive;
using pathwhy::process_cmdline;
using pathwhy::ProcessEntry;

std::vector<pid_t> children_of(pid_t parent);
// Filesystem paths of the unix sockets PID holds open (from /proc/PID/fd and the sockets of its
// network namespace in /proc/PID/net/unix).
std::vector<std::string> unix_socket_paths(pid_t pid);
// Waits until PID has exited (or never existed); false when the timeout passed first.
bool wait_until_gone(pid_t pid, std::chrono::milliseconds timeout);

}  // namespace pathwhy::lab
