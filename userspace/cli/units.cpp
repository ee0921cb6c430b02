#include "cli/units.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>

#include "common/error.h"

namespace pathwhy {
namespace {

struct Number {
    double value = 0;
    std::string unit;  // lower case
};

std::optional<Number> split(const std::string& text) {
    Number number;
    const char* end = text.data() + text.size();
    auto [rest, ec] = std::from_chars(text.data(), end, number.value);
    if (ec != std::errc{} || rest == text.data() || !std::isfinite(number.value) || number.value < 0)
        return std::nullopt;
    for (; rest != end; ++rest) number.unit += static_cast<char>(std::tolower(*rest));
    return number;
}

}  // namespace

std::uint64_t parse_size(const std::string& text, const std::string& option) {
    const auto number = split(text);
    const auto invalid = [&] {
        return Error("use " + option + " " + text, "not a size",
                     "e.g. " + option + " 256M, " + option + " 2G");
    };
    if (!number) throw invalid();
    int shift = 0;
    const std::string& unit = number->unit;
    if (unit.empty() || unit == "b") shift = 0;
    else if (unit == "k" || unit == "kb" || unit == "kib") shift = 10;
    else if (unit == "m" || unit == "mb" || unit == "mib") shift = 20;
    else if (unit == "g" || unit == "gb" || unit == "gib") shift = 30;
    else if (unit == "t" || unit == "tb" || unit == "tib") shift = 40;
    else throw invalid();
    const double bytes = std::ldexp(number->value, shift);
    if (bytes < 1 || bytes > 1e18) throw invalid();
    return static_cast<std::uint64_t>(bytes);
}

std::chrono::seconds parse_duration(const std::string& text, const std::string& option) {
    const auto number = split(text);
    const auto invalid = [&] {
        return Error("use " + option + " " + text, "not a duration",
                     "e.g. " + option + " 90s, " + option + " 15m, " + option + " 2h");
    };
    if (!number) throw invalid();
    double seconds = number->value;
    const std::string& unit = number->unit;
    if (unit.empty() || unit == "s") seconds *= 1;
    else if (unit == "m" || unit == "min") seconds *= 60;
    else if (unit == "h") seconds *= 3600;
    else if (unit == "d") seconds *= 86400;
    else throw invalid();
    if (seconds < 1 || seconds > 1e9) throw invalid();
    return std::chrono::seconds(static_cast<std::int64_t>(seconds));
}

}  // namespace pathwhy
