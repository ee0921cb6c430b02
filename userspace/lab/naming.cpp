// Formatting and parsing lab names.
#include "lab/naming.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <charconv>

#include "lab/pids.h"

namespace pathwhy::lab {
namespace {

constexpr std::string_view kNamespacePrefix = "pw";
constexpr std::string_view kDirPrefix = "pathwhy-lab-";

// Reads a decimal number (no sign, no leading zero) off the front of text.
template <typename T>
std::optional<T> take_number(std::string_view& text) {
    T value{};
    const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (err != std::errc() || end == text.data() || (text[0] == '0' && end - text.data() > 1))
        return std::nullopt;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    return value;
}

std::atomic<unsigned> g_labs_started{0};

}  // namespace

LabId next_lab_id() { return {getpid(), g_labs_started++}; }

bool owner_gone(const LabId& id) {
    if (id.pid == getpid()) return id.seq >= g_labs_started;
    return !process_alive(id.pid);
}

std::string namespace_name(const LabId& id, char role) {
    return fmt::format("{}{}{}{}", kNamespacePrefix, id.pid, role, id.seq);
}

std::string lab_dir(const LabId& id) {
    return fmt::format("{}/{}{}-{}", kLabDirParent, kDirPrefix, id.pid, id.seq);
}

std::optional<LabId> parse_namespace_name(std::string_view name) {
    if (!name.starts_with(kNamespacePrefix)) return std::nullopt;
    name.remove_prefix(kNamespacePrefix.size());
    const auto pid = take_number<pid_t>(name);
    if (!pid || *pid <= 0 || name.empty() || (name[0] != kHostRole && name[0] != kPeerRole))
        return std::nullopt;
    name.remove_prefix(1);
    const auto seq = take_number<unsigned>(name);
    if (!seq || !name.empty()) return std::nullopt;
    return LabId{*pid, *seq};
}

std::optional<LabId> parse_lab_dir_name(std::string_view filename) {
    if (!filename.starts_with(kDirPrefix)) return std::nullopt;
    filename.remove_prefix(kDirPrefix.size());
    const auto pid = take_number<pid_t>(filename);
    if (!pid || *pid <= 0 || !filename.starts_with('-')) return std::nullopt;
    filename.remove_prefix(1);
    const auto seq = take_number<unsigned>(filename);
    if (!seq || !filename.empty()) return std::nullopt;
    return LabId{*pid, *seq};
}

}  // namespace pathwhy::lab
