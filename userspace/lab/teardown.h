// How a lab's teardown reports what it could not undo: teardown runs in destructors and after
// Ctrl-C, so it never throws; it says what is left behind and goes on removing the rest.
#pragma once

#include <string_view>

namespace pathwhy::lab {

// Prints "pathwhy: lab teardown: PROBLEM" to stderr. Never throws.
void report_teardown_problem(std::string_view problem) noexcept;

}  // namespace pathwhy::lab
