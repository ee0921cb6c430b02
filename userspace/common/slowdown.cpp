#include "common/slowdown.h"

#include <charconv>
#include <cstdlib>
#include <string>

#include "common/error.h"

namespace pathwhy {

constexpr int kMaxSlowdown = 1000;

std::optional<int> parse_slowdown(std::string_view text) {
    int factor = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), factor);
    if (error != std::errc{} || end != text.data() + text.size() || factor < 1 ||
        factor > kMaxSlowdown)
        return std::nullopt;
    return factor;
}

int lab_slowdown() {
    const char* text = std::getenv("PATHWHY_LAB_SLOWDOWN");
    if (!text) return 1;
    if (auto factor = parse_slowdown(text)) return *factor;
    throw Error("read PATHWHY_LAB_SLOWDOWN",
                std::string("'") + text + "' is not a whole number from 1 to 1000");
}

std::chrono::milliseconds scaled_timeout(std::chrono::milliseconds timeout) {
    return timeout * lab_slowdown();
}

}  // namespace pathwhy
