// "4 min ago", "3 h ago", "12 days ago": ages as an on-call engineer reads them.
#pragma once

#include <cstdint>
#include <string>

namespace pathwhy {

std::string human_age(std::int64_t seconds);

}  // namespace pathwhy
