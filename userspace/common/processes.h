// Reading other processes through /proc: which exist, their parents, command lines and network
// namespaces. Shared by the labs (dockerd's containerd, stale labs) and by the Docker layer (the
// running daemon's own flags and its docker-proxy relays).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pathwhy {

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
// The inode of PID's network namespace (/proc/PID/ns/net); nullopt when it is gone or not ours
// to look at (another user's process without CAP_SYS_PTRACE).
std::optional<std::uint64_t> process_netns_inode(pid_t pid);

}  // namespace pathwhy
