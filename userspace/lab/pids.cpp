// /proc readers and the pidfd wait.
#include "lab/pids.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>

#include "common/process.h"

namespace pathwhy::lab {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

std::vector<pid_t> children_of(pid_t parent) {
    std::vector<pid_t> out;
    for (const auto& p : list_processes())
        if (p.parent == parent) out.push_back(p.pid);
    return out;
}

std::vector<std::string> unix_socket_paths(pid_t pid) {
    const std::string proc = "/proc/" + std::to_string(pid);
    std::set<std::string> inodes;
    std::error_code ec;
    for (const auto& fd : std::filesystem::directory_iterator(proc + "/fd", ec)) {
        const std::string target = std::filesystem::read_symlink(fd.path(), ec).string();
        // "socket:[12345]"
        if (!ec && target.starts_with("socket:[") && target.ends_with(']'))
            inodes.insert(target.substr(8, target.size() - 9));
    }
    // A listener's accepted connections carry its path too: one entry per path.
    std::set<std::string> paths;
    std::ifstream table(proc + "/net/unix");
    std::string line;
    std::getline(table, line);  // Num RefCount Protocol Flags Type St Inode Path
    while (std::getline(table, line)) {
        std::istringstream fields(line);
        std::string num, refcount, protocol, flags, type, state, inode, path;
        fields >> num >> refcount >> protocol >> flags >> type >> state >> inode >> path;
        if (path.starts_with('/') && inodes.count(inode)) paths.insert(path);
    }
    return {paths.begin(), paths.end()};
}

bool wait_until_gone(pid_t pid, std::chrono::milliseconds timeout) {
    const int fd = open_pidfd(pid);
    if (fd < 0) return true;  // ESRCH: already gone (and reaped)
    // A pidfd polls readable once the process has exited, zombie or not.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int ready = 0;
    do {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd pfd{fd, POLLIN, 0};
        ready = poll(&pfd, 1, static_cast<int>(std::max<long>(left.count(), 0)));
    } while (ready < 0 && errno == EINTR);
    close(fd);
    return ready > 0 || !process_alive(pid);
}

}  // namespace pathwhy::lab
