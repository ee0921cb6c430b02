#include "explain/human_age.h"

#include <ctime>

#include <fmt/format.h>

namespace pathwhy {

std::string human_age(std::int64_t seconds) {
    if (seconds < 0) return "in the future (clock skew?)";
    if (seconds < 60) return fmt::format("{} s ago", seconds);
    if (seconds < 3600) return fmt::format("{} min ago", seconds / 60);
    if (seconds < 2 * 86400) return fmt::format("{} h ago", seconds / 3600);
    return fmt::format("{} days ago", seconds / 86400);
}

std::string utc_time(std::int64_t unix_seconds) {
    std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm parts{};
    gmtime_r(&t, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &parts);
    return text;
}

}  // namespace pathwhy
