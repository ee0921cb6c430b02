// Whether to colour output: only on a terminal, never with NO_COLOR set (no-color.org).
#pragma once

#include <cstdio>

namespace pathwhy {

bool use_color(std::FILE* stream);

}  // namespace pathwhy
