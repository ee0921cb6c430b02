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

int keep_message(enum libbpf_print_level level, const char* format, va_list args) {
    char line[1024];
    std::vsnprintf(line, sizeof line, format, args);
    if (std::getenv("PATHWHY_DEBUG")) std::fputs(line, stderr);
    if (level == LIBBPF_DEBUG) return 0;
    std::lock_guard lock(messages_mutex);
    messages.emplace_back(line);
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

}  // namespace pathwhy
