// A strict, allocation-free RFC 3339 reader; std::chrono's calendar does the date arithmetic and
// rejects impossible dates (2023-02-29).
#include "docker/rfc3339.h"

#include <chrono>

namespace pathwhy {

namespace {

// Reads exactly `width` digits at `pos`; advances pos.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t width) {
    if (pos + width > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = 0; i < width; ++i) {
        char c = text[pos + i];
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    pos += width;
    return value;
}

bool expect(std::string_view text, std::size_t& pos, std::string_view one_of) {
    if (pos >= text.size() || one_of.find(text[pos]) == std::string_view::npos) return false;
    ++pos;
    return true;
}

}  // namespace

std::optional<std::int64_t> parse_rfc3339(std::string_view text) {
    using namespace std::chrono;
    std::size_t pos = 0;
    auto y = digits(text, pos, 4);
    if (!y || !expect(text, pos, "-")) return std::nullopt;
    auto mo = digits(text, pos, 2);
    if (!mo || !expect(text, pos, "-")) return std::nullopt;
    auto d = digits(text, pos, 2);
    // RFC 3339 5.6 allows 't' and, in its note, a space.
    if (!d || !expect(text, pos, "Tt ")) return std::nullopt;
    auto h = digits(text, pos, 2);
    if (!h || !expect(text, pos, ":")) return std::nullopt;
    auto mi = digits(text, pos, 2);
    if (!mi || !expect(text, pos, ":")) return std::nullopt;
    auto s = digits(text, pos, 2);
    if (!s) return std::nullopt;
    if (pos < text.size() && text[pos] == '.') {
        std::size_t start = ++pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
        if (pos == start) return std::nullopt;
    }

    int offset_seconds = 0;
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        int sign = text[pos++] == '-' ? -1 : 1;
        auto oh = digits(text, pos, 2);
        if (!oh || !expect(text, pos, ":")) return std::nullopt;
        auto om = digits(text, pos, 2);
        if (!om || *oh > 23 || *om > 59) return std::nullopt;
        offset_seconds = sign * (*oh * 3600 + *om * 60);
    } else {
        return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;

    year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)},
                        day{static_cast<unsigned>(*d)}};
    // A leap second (:60) is allowed by RFC 3339; it lands on the next second.
    if (!date.ok() || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
    if (*y == 1 && *mo == 1 && *d == 1 && *h == 0 && *mi == 0 && *s == 0 && offset_seconds == 0)
        return std::nullopt;

    auto local = sys_days{date}.time_since_epoch() + hours{*h} + minutes{*mi} + seconds{*s};
    return duration_cast<seconds>(local).count() - offset_seconds;
}

}  // namespace pathwhy
