#include "common/processes.h"

#include <sys/stat.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace pathwhy {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// "/proc/PID/stat": "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so the
// fields after it are found from the last ')'.
struct Stat {
    char state = '?';
    pid_t parent = 0;
};

std::optional<Stat> read_stat(pid_t pid) {
    const std::string text = read_file("/proc/" + std::to_string(pid) + "/stat");
    const auto close = text.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    std::istringstream rest(text.substr(close + 1));
    Stat stat;
    rest >> stat.state >> stat.parent;
    if (!rest) return std::nullopt;
    return stat;
}

}  // namespace

bool process_alive(pid_t pid) {
    const auto stat = read_stat(pid);
    return stat && stat->state != 'Z' && stat->state != 'X';
}

std::vector<std::string> process_cmdline(pid_t pid) {
    const std::string raw = read_file("/proc/" + std::to_string(pid) + "/cmdline");
    std::vector<std::string> argv;
    std::size_t start = 0;
    while (start < raw.size()) {
        const auto end = raw.find('\0', start);
        argv.push_back(raw.substr(start, end == std::string::npos ? end : end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return argv;
}

std::vector<ProcessEntry> list_processes() {
    std::vector<ProcessEntry> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename();
        pid_t pid = 0;
        const auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), pid);
        if (err != std::errc() || end != name.data() + name.size()) continue;
        if (const auto stat = read_stat(pid)) out.push_back({pid, stat->parent});
    }
    return out;
}

std::optional<std::uint64_t> process_netns_inode(pid_t pid) {
    struct stat status {};
    if (stat(("/proc/" + std::to_string(pid) + "/ns/net").c_str(), &status) != 0)
        return std::nullopt;
    return status.st_ino;
}

}  // namespace pathwhy
