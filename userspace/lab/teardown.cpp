#include "lab/teardown.h"

#include <fmt/format.h>

#include <cstdio>

namespace pathwhy::lab {

void report_teardown_problem(std::string_view problem) noexcept {
    try {
        fmt::print(stderr, "pathwhy: lab teardown: {}\n", problem);
    } catch (...) {
        // Nowhere left to report to.
    }
}

}  // namespace pathwhy::lab
