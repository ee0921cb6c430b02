// RFC 3339 timestamps as the Engine API writes them (Go's RFC3339Nano), turned into seconds since
// the epoch so the explainer can say how old a network is.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace pathwhy {

// "2022-11-02T08:54:20.123456789+11:00", "...Z": whole seconds, fraction dropped. nullopt for
// anything malformed or out of range, and for Go's zero time "0001-01-01T00:00:00Z", which the
// API writes when it does not know.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

}  // namespace pathwhy
