// Scanning /run/netns, /tmp, mountinfo and /proc for what labs of one owner left behind.
#include "support/lab_leftovers.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <fstream>

#include "lab/naming.h"
#include "lab/netns.h"
#include "lab/pids.h"

namespace pathwhy::test {
namespace {

// Every dir of this owner starts so, whatever its sequence number.
std::string dir_prefix(pid_t owner) {
    const std::string first = lab::lab_dir({owner, 0});
    return first.substr(0, first.size() - 1);
}

// Processes with an argument naming one of the owner's lab dirs.
std::vector<pid_t> processes_of(pid_t owner) {
    std::vector<pid_t> found;
    for (const auto& process : lab::list_processes())
        for (const auto& arg : lab::process_cmdline(process.pid))
            if (arg.find(dir_prefix(owner)) != std::string::npos) {
                found.push_back(process.pid);
                break;
            }
    return found;
}

}  // namespace

std::vector<std::string> shim_sockets(pid_t owner) {
    std::vector<std::string> sockets;
    for (pid_t pid : processes_of(owner))
        for (const auto& path : lab::unix_socket_paths(pid))
            if (path.starts_with("/run/containerd/s/")) sockets.push_back(path);
    return sockets;
}

std::vector<std::string> lab_leftovers(pid_t owner, const std::vector<pid_t>& pids,
                                       const std::vector<std::string>& files) {
    std::vector<std::string> found;
    for (const auto& name : lab::list_namespaces()) {
        const auto id = lab::parse_namespace_name(name);
        if (id && id->pid == owner) found.push_back("namespace " + name);
    }
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(lab::kLabDirParent, ec)) {
        const auto id = lab::parse_lab_dir_name(entry.path().filename().string());
        if (id && id->pid == owner) found.push_back("directory " + entry.path().string());
    }
    const std::string prefix = dir_prefix(owner);
    std::ifstream mountinfo("/proc/self/mountinfo");
    for (std::string line; std::getline(mountinfo, line);)
        if (line.find(prefix) != std::string::npos) found.push_back("mount " + line);
    for (pid_t pid : processes_of(owner))
        found.push_back(
            fmt::format("process {}: {}", pid, fmt::join(lab::process_cmdline(pid), " ")));
    for (pid_t pid : pids)
        if (lab::process_alive(pid))
            found.push_back(fmt::format("process {} alive: {}", pid,
                                        fmt::join(lab::process_cmdline(pid), " ")));
    for (const auto& file : files)
        if (std::filesystem::exists(std::filesystem::symlink_status(file)))
            found.push_back("file " + file);
    return found;
}

}  // namespace pathwhy::test
