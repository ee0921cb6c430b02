#include "explain/human_age.h"

#include <fmt/format.h>

namespace pathwhy {

std::string human_age(std::int64_t seconds) {
    if (seconds < 0) return "in the future (clock skew?)";
    if (seconds < 60) return fmt::format("{} s ago", seconds);
    if (seconds < 3600) return fmt::format("{} min ago", seconds / 60);
    if (seconds < 2 * 86400) return fmt::format("{} h ago", seconds / 3600);
    return fmt::format("{} days ago", seconds / 86400);
}

}  // namespace pathwhy
