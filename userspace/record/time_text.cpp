#include "record/time_text.h"

#include <ctime>

#include <fmt/format.h>

namespace pathwhy {

std::int64_t unix_now_ns() {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

namespace {

std::tm utc_parts(std::int64_t unix_ns) {
    const std::time_t seconds = static_cast<std::time_t>(unix_ns / 1'000'000'000);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    return parts;
}

int milliseconds_of(std::int64_t unix_ns) {
    return static_cast<int>((unix_ns % 1'000'000'000 + 1'000'000'000) % 1'000'000'000 / 1'000'000);
}

}  // namespace

std::string iso_time(std::int64_t unix_ns) {
    const std::tm t = utc_parts(unix_ns);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", t.tm_year + 1900, t.tm_mon + 1,
                       t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, milliseconds_of(unix_ns));
}

std::string clock_time(std::int64_t unix_ns) {
    const std::tm t = utc_parts(unix_ns);
    return fmt::format("{:02}:{:02}:{:02}.{:03}", t.tm_hour, t.tm_min, t.tm_sec,
                       milliseconds_of(unix_ns));
}

std::string date_text(std::int64_t unix_ns) {
    const std::tm t = utc_parts(unix_ns);
    return fmt::format("{:04}-{:02}-{:02}", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
}

std::string duration_text(std::int64_t ns) {
    if (ns < 0) ns = 0;
    const std::int64_t ms = ns / 1'000'000;
    if (ms < 1000) return fmt::format("{} ms", ms);
    const std::int64_t s = ms / 1000;
    if (s < 60) return fmt::format("{} s", s);
    if (s < 3600) return s % 60 ? fmt::format("{} min {} s", s / 60, s % 60)
                                : fmt::format("{} min", s / 60);
    if (s < 86400) return (s % 3600) / 60 ? fmt::format("{} h {} min", s / 3600, (s % 3600) / 60)
                                          : fmt::format("{} h", s / 3600);
    return fmt::format("{} days {} h", s / 86400, (s % 86400) / 3600);
}

}  // namespace pathwhy
