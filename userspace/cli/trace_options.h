// --probe, --from and --watch checked and turned into values: which probe to send (tcp:PORT,
// udp:PORT, icmp), from which container, for how long to watch. Pure. Anything else is an Error
// of one line naming the option and an example, which main turns into exit status 2.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cli/options.h"

namespace pathwhy {

struct ProbeSpec {
    enum class Protocol { tcp, udp, icmp };

    Protocol protocol = Protocol::icmp;
    std::uint16_t port = 0;  // tcp, udp

    std::string text() const;  // "tcp:443", "icmp"
};

inline constexpr int kMaxWatchSeconds = 3600;

struct TraceSettings {
    std::optional<ProbeSpec> probe;  // nullopt: watch
    std::string container;           // --from container:NAME, else ""
    int watch_seconds = 0;           // when watching
    std::string ready_file;
};

// "tcp:443", "udp:53", "icmp".
ProbeSpec parse_probe_spec(const std::string& text);
// "container:NAME" -> NAME.
std::string parse_probe_origin(const std::string& text);
// The options together: exactly one of --probe and --watch, --from only with --probe, --watch
// between 1 and kMaxWatchSeconds.
TraceSettings validate_trace_options(const TraceOptions& options);

}  // namespace pathwhy
