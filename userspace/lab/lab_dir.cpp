// Lab data directories: creation, and the kill/unmount/delete sweep that removes one for good.
#include "lab/lab_dir.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/error.h"
#include "common/process.h"
#include "lab/naming.h"
#include "lab/pids.h"
#include "lab/teardown.h"

namespace pathwhy::lab {
namespace {

namespace fs = std::filesystem;

// The sweep only ever touches paths that look like ours: a typo or an empty string must never
// become `rm -rf /tmp` or a kill of unrelated processes.
bool is_lab_dir(const std::string& dir) {
    const fs::path path(dir);
    return path.parent_path() == kLabDirParent && parse_lab_dir_name(path.filename().string());
}

// /proc/self/mountinfo escapes space, tab, newline and backslash in paths as \ooo.
std::string unescape_mount_path(const std::string& raw) {
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 3 < raw.size() &&
            std::all_of(raw.begin() + i + 1, raw.begin() + i + 4,
                        [](char c) { return c >= '0' && c <= '7'; })) {
            out += static_cast<char>(std::stoi(raw.substr(i + 1, 3), nullptr, 8));
            i += 3;
        } else {
            out += raw[i];
        }
    }
    return out;
}

bool at_or_below(const std::string& path, const std::string& dir) {
    return path.starts_with(dir) && (path.size() == dir.size() || path[dir.size()] == '/');
}

// The programs a lab runs that name its dir in their arguments. Anything else naming it (say a
// `tail -f` of dockerd.log) is left alone.
bool lab_program(const std::vector<std::string>& argv) {
    if (argv.empty()) return false;
    const std::string name = fs::path(argv[0]).filename();
    return name == "dockerd" || name == "containerd" || name.starts_with("containerd-shim");
}

// containerd-shim-runc-v2 listens on /run/containerd/s/<hash>, outside any lab dir, and deletes
// that socket only when it shuts down normally.
constexpr std::string_view kShimSocketDir = "/run/containerd/s/";

}  // namespace

bool names_path_in(const std::string& text, const std::string& dir) {
    for (auto at = text.find(dir); at != std::string::npos; at = text.find(dir, at + 1)) {
        const auto after = at + dir.size();
        if (after == text.size() || text[after] == '/') return true;
    }
    return false;
}

LabDir::LabDir(std::string path) : path_(std::move(path)) {
    if (!is_lab_dir(path_))
        throw Error("create lab directory " + path_, "not a lab directory name");
    if (mkdir(path_.c_str(), 0700) != 0)
        throw Error("create lab directory " + path_, errno_text(errno),
                    "a lab of this process with the same number exists");
}

LabDir::~LabDir() {
    try {
        for (const auto& problem : remove_lab_dir(path_)) report_teardown_problem(problem);
    } catch (const std::exception& e) {
        report_teardown_problem(e.what());
    }
}

std::vector<pid_t> processes_of_lab_dir(const std::string& dir) {
    const auto processes = list_processes();
    std::set<pid_t> ours;
    for (const auto& p : processes) {
        if (p.pid == getpid()) continue;
        const auto argv = process_cmdline(p.pid);
        if (lab_program(argv) && std::any_of(argv.begin(), argv.end(), [&](const std::string& arg) {
                return names_path_in(arg, dir);
            }))
            ours.insert(p.pid);
    }
    // Descendants, to a fixed point: a container's init is a child of its shim.
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto& p : processes)
            if (ours.count(p.parent) && p.pid != getpid() && ours.insert(p.pid).second) grew = true;
    }
    return {ours.begin(), ours.end()};
}

std::vector<std::string> mounts_under(const std::string& dir) {
    std::vector<std::string> points;
    std::ifstream mountinfo("/proc/self/mountinfo");
    for (std::string line; std::getline(mountinfo, line);) {
        // id parent major:minor root mount-point ...
        std::istringstream fields(line);
        std::string id, parent, device, root, point;
        fields >> id >> parent >> device >> root >> point;
        point = unescape_mount_path(point);
        if (at_or_below(point, dir)) points.push_back(point);
    }
    std::sort(points.begin(), points.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    return points;
}

std::vector<std::string> remove_lab_dir(const std::string& dir) {
    if (!is_lab_dir(dir)) return {fmt::format("refusing to remove {}: not a lab directory", dir)};
    std::vector<std::string> problems;

    const auto pids = processes_of_lab_dir(dir);
    std::vector<std::string> shim_sockets;
    for (pid_t pid : pids)
        for (auto& path : unix_socket_paths(pid))
            if (path.starts_with(kShimSocketDir)) shim_sockets.push_back(std::move(path));
    for (pid_t pid : pids) kill(pid, SIGKILL);
    for (pid_t pid : pids)
        if (!wait_until_gone(pid, std::chrono::seconds(5)))
            problems.push_back(fmt::format("process {} of {} survived SIGKILL", pid, dir));
    for (const auto& path : shim_sockets)
        if (unlink(path.c_str()) != 0 && errno != ENOENT)
            problems.push_back(fmt::format("cannot remove {}: {}", path, errno_text(errno)));

    // Stacked mounts need one pass per layer; a pass that unmounts nothing ends the loop.
    for (auto points = mounts_under(dir); !points.empty();) {
        for (const auto& point : points) umount2(point.c_str(), MNT_DETACH);
        auto left = mounts_under(dir);
        if (left == points) {
            for (const auto& point : left)
                if (umount2(point.c_str(), MNT_DETACH) != 0)
                    problems.push_back(
                        fmt::format("cannot unmount {}: {}", point, errno_text(errno)));
            break;
        }
        points = std::move(left);
    }

    std::error_code ec;
    fs::remove_all(dir, ec);
    if (ec) problems.push_back(fmt::format("cannot remove {}: {}", dir, ec.message()));
    return problems;
}

}  // namespace pathwhy::lab
