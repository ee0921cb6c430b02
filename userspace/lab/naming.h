// The one naming scheme for everything a lab creates on the machine, and its inverse. Every name
// carries the owning process's pid, so two labs never collide and the stale-lab reaper can tell
// a crashed run's leftovers (pid gone) from a live lab (pid alive) without any registry.
//   namespaces  pw<pid><role><seq>            e.g. pw12345h0 (host), pw12345p0 (peer)
//   data dirs   /tmp/pathwhy-lab-<pid>-<seq>  short: dockerd's and containerd's unix sockets
//                                             live under it and sun_path holds 108 bytes
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace pathwhy::lab {

inline constexpr std::string_view kLabDirParent = "/tmp";
inline constexpr char kHostRole = 'h';
inline constexpr char kPeerRole = 'p';

struct LabId {
    pid_t pid = 0;
    unsigned seq = 0;  // counts labs within one process

    auto operator<=>(const LabId&) const = default;
};

// This process's next lab.
LabId next_lab_id();
// Whether the lab's owner is gone: its pid is not alive, or it is our own pid but a number we
// have not handed out yet (a crashed run's leftovers whose pid this process inherited; /tmp can
// outlive a reboot that restarts pids).
bool owner_gone(const LabId& id);

std::string namespace_name(const LabId& id, char role);
std::string lab_dir(const LabId& id);

// The lab a namespace name or a data dir's file name belongs to; nullopt for anything else
// (other tools' namespaces, "pw-host", ...).
std::optional<LabId> parse_namespace_name(std::string_view name);
std::optional<LabId> parse_lab_dir_name(std::string_view filename);

}  // namespace pathwhy::lab
