// One error type for the whole tool: what we were doing, to what, why, and what to try.
// Lower layers throw it with context; main prints it as one line and exits 2.
#pragma once

#include <stdexcept>
#include <string>

namespace pathwhy {

class Error : public std::runtime_error {
public:
    // what(): "cannot <action>: <reason>"; hint(): "(run as root ...)" or empty.
    Error(const std::string& action, const std::string& reason, std::string hint = {})
        : std::runtime_error("cannot " + action + ": " + reason), hint_(std::move(hint)) {}

    const std::string& hint() const { return hint_; }

private:
    std::string hint_;
};

// "No such file or directory" for errno-style codes, whether positive or negative.
std::string errno_text(int err);

}  // namespace pathwhy
