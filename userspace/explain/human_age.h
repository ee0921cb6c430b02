// "4 min ago", "3 h ago", "12 days ago": times as an on-call engineer reads them.
#pragma once

#include <cstdint>
#include <string>

namespace pathwhy {

std::string human_age(std::int64_t seconds);

// "2022-11-02 08:54:20 UTC"
std::string utc_time(std::int64_t unix_seconds);

}  // namespace pathwhy
