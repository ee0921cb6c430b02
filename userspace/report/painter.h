// ANSI styling for the text renderers, or none: the caller decides whether colour is wanted
// (a terminal, no NO_COLOR), the painter only wraps.
#pragma once

#include <fmt/format.h>

#include <string>

#include "explain/diagnosis.h"

namespace pathwhy {

class Painter {
  public:
    explicit Painter(bool color) : color_(color) {}
    std::string bold(const std::string& s) const { return wrap("1", s); }
    std::string dim(const std::string& s) const { return wrap("2", s); }
    std::string red(const std::string& s) const { return wrap("1;31", s); }
    std::string yellow(const std::string& s) const { return wrap("1;33", s); }
    std::string green(const std::string& s) const { return wrap("1;32", s); }
    std::string cyan(const std::string& s) const { return wrap("36", s); }

    std::string severity(Severity severity, const std::string& s) const {
        switch (severity) {
            case Severity::critical:
                return red(s);
            case Severity::warning:
                return yellow(s);
            case Severity::info:
                return cyan(s);
        }
        return s;
    }

  private:
    std::string wrap(const char* code, const std::string& s) const {
        return color_ ? fmt::format("\033[{}m{}\033[0m", code, s) : s;
    }
    bool color_;
};

}  // namespace pathwhy
