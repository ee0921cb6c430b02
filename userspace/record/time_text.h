// Times and durations of a recording as its readers want them: ISO 8601 for machines (JSON,
// --on-incident), the time of day to the millisecond for a timeline, and durations in words.
// Recordings are read on other machines than they were made on, so times are UTC throughout.
#pragma once

#include <cstdint>
#include <string>

namespace pathwhy {

// CLOCK_REALTIME in nanoseconds: the time a record is stamped with when it is received.
std::int64_t unix_now_ns();

std::string iso_time(std::int64_t unix_ns);    // "2022-11-02T08:51:02.123Z"
std::string clock_time(std::int64_t unix_ns);  // "08:51:02.123"
std::string date_text(std::int64_t unix_ns);   // "2022-11-02"
std::string duration_text(std::int64_t ns);    // "850 ms", "42 s", "3 min 20 s", "2 h 5 min"

}  // namespace pathwhy
