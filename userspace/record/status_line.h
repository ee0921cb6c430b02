// The recorder's progress on stderr: on a terminal, one line redrawn in place every second;
// anywhere else (the journal, under systemd) a plain line every ten minutes, enough to show it is
// alive without filling the log. Lines of their own (incidents, notes) go through print(), which
// keeps them from being drawn over. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

namespace pathwhy {

class StatusLine {
  public:
    explicit StatusLine(bool terminal);

    // Shows `text` if its interval has passed since it was last shown.
    void update(std::chrono::steady_clock::time_point now, const std::string& text);
    // A line of its own, prefixed "pathwhy record: ".
    void print(const std::string& line);
    // Leaves the in-place line behind for good.
    void finish();

  private:
    void clear_locked();

    bool terminal_;
    std::chrono::steady_clock::duration interval_;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point shown_{};
    bool drawn_ = false;
};

}  // namespace pathwhy
