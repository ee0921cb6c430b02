// Looking at processes we did not necessarily start — dockerd's containerd, container shims, the
// owners of stale labs — through /proc, and waiting for them to end through pidfds (Linux 5.3+),
// which also works for processes that are not our children.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace pathwhy::lab {

// Exists and is not a zombie: a zombie has finished, whoever reaps it.
bool process_alive(pid_t pid);
// argv from /proc/PID/cmdline; empty when the process is gone (or a kernel thread).
std::vector<std::string> process_cmdline(pid_t pid);
// Every pid in /proc, with its parent.
struct ProcessEntry {
    pid_t pid = 0;
    pid_t parent = 0;
};
std::vector<ProcessEntry> list_processes();
std::vector<pid_t> children_of(pid_t parent);
// Filesystem paths of the unix sockets PID holds open (from /proc/PID/fd and the sockets of its
// network namespace in /proc/PID/net/unix).
std::vector<std::string> unix_socket_paths(pid_t pid);
// Waits until PID has exited (or never existed); false when the timeout passed first.
bool wait_until_gone(pid_t pid, std::chrono::milliseconds timeout);

}  // namespace pathwhy::lab
