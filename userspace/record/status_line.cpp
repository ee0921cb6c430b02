#include "record/status_line.h"

#include <cstdio>

namespace pathwhy {

StatusLine::StatusLine(bool terminal)
    : terminal_(terminal),
      interval_(terminal ? std::chrono::steady_clock::duration(std::chrono::seconds(1))
                         : std::chrono::steady_clock::duration(std::chrono::minutes(10))) {}

void StatusLine::clear_locked() {
    if (terminal_ && drawn_) std::fputs("\r\033[K", stderr);
    drawn_ = false;
}

void StatusLine::update(std::chrono::steady_clock::time_point now, const std::string& text) {
    std::lock_guard lock(mutex_);
    if (shown_ != std::chrono::steady_clock::time_point{} && now - shown_ < interval_) return;
    shown_ = now;
    if (terminal_) {
        clear_locked();
        std::fprintf(stderr, "%s", text.c_str());
        drawn_ = true;
    } else {
        std::fprintf(stderr, "pathwhy record: %s\n", text.c_str());
    }
    std::fflush(stderr);
}

void StatusLine::print(const std::string& line) {
    std::lock_guard lock(mutex_);
    clear_locked();
    // Redraw the status on the next update rather than leave the terminal without one.
    shown_ = {};
    std::fprintf(stderr, "pathwhy record: %s\n", line.c_str());
    std::fflush(stderr);
}

void StatusLine::finish() {
    std::lock_guard lock(mutex_);
    if (terminal_ && drawn_) std::fputs("\n", stderr);
    drawn_ = false;
    std::fflush(stderr);
}

}  // namespace pathwhy
