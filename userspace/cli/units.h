// Sizes and durations as people type them on a command line: "256M", "1.5G", "4096"; "90s",
// "15m", "2h", "7d". Pure; an invalid value throws pathwhy::Error naming the option.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace pathwhy {

// Bytes; K, M, G, T suffixes (also KiB, MB, ...) are powers of 1024.
std::uint64_t parse_size(const std::string& text, const std::string& option);
// Seconds; s, m, h, d suffixes; a bare number is seconds.
std::chrono::seconds parse_duration(const std::string& text, const std::string& option);

}  // namespace pathwhy
