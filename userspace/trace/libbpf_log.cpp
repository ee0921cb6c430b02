#include "trace/libbpf_log.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <mutex>

namespace pathwhy {

namespace {

std::mutex messages_mutex;
std::deque<std::string> messages;
constexpr std::size_t kKeptMessages = 8;
int capturing = 0;  // live LibbpfWarnings
std::vector<std::string> captured;

// A verifier log runs to many kilobytes: formatted at its full length, never cut.
std::string format_message(const char* format, va_list args) {
    va_list measure;
    va_copy(measure, args);
    int length = std::vsnprintf(nullptr, 0, format, measure);
    va_end(measure);
    if (length <= 0) return "";
    std::string text(static_cast<std::size_t>(length) + 1, '\0');
    std::vsnprintf(text.data(), text.size(), format, args);
    text.resize(static_cast<std::size_t>(length));
    return text;
}

int keep_message(enum libbpf_print_level level, const char* format, va_list args) {
    std::string line = format_message(format, args);
    if (std::getenv("PATHWHY_DEBUG")) std::fputs(line.c_str(), stderr);
    if (level == LIBBPF_DEBUG) return 0;
    std::lock_guard lock(messages_mutex);
    if (capturing > 0 && level == LIBBPF_WARN) captured.push_back(line);
    // Only the head of a long message: these are for one-line error reasons.
    messages.emplace_back(line.substr(0, 1024));
    if (messages.size() > kKeptMessages) messages.pop_front();
    return 0;
}

}  // namespace

void route_libbpf_messages() { libbpf_set_print(keep_message); }

std::string recent_libbpf_messages() {
    std::lock_guard lock(messages_mutex);
    std::string joined;
    for (const auto& line : messages) joined += line;
    while (!joined.empty() && joined.back() == '\n') joined.pop_back();
    return joined;
}

LibbpfWarnings::LibbpfWarnings() {
    std::lock_guard lock(messages_mutex);
    if (capturing++ == 0) captured.clear();
}

LibbpfWarnings::~LibbpfWarnings() {
    std::lock_guard lock(messages_mutex);
    if (--capturing == 0) captured.clear();
}

std::vector<std::string> LibbpfWarnings::messages() const {
    std::lock_guard lock(messages_mutex);
    return captured;
}

void LibbpfWarnings::clear() {
    std::lock_guard lock(messages_mutex);
    captured.clear();
}

}  // namespace pathwhy
