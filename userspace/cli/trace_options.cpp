#include "cli/trace_options.h"

#include <fmt/format.h>

#include <charconv>

#include "common/error.h"

namespace pathwhy {
namespace {

constexpr const char* kProbeExample = "e.g. --probe tcp:443, --probe udp:53 or --probe icmp";

[[noreturn]] void bad_probe(const std::string& text, const std::string& reason) {
    throw Error(fmt::format("probe '{}'", text), reason, kProbeExample);
}

}  // namespace

std::string ProbeSpec::text() const {
    switch (protocol) {
        case Protocol::tcp:
            return fmt::format("tcp:{}", port);
        case Protocol::udp:
            return fmt::format("udp:{}", port);
        case Protocol::icmp:
            return "icmp";
    }
    return "icmp";
}

ProbeSpec parse_probe_spec(const std::string& text) {
    ProbeSpec spec;
    if (text == "icmp") return spec;
    const auto colon = text.find(':');
    const std::string protocol = text.substr(0, colon);
    if (protocol == "tcp") {
        spec.protocol = ProbeSpec::Protocol::tcp;
    } else if (protocol == "udp") {
        spec.protocol = ProbeSpec::Protocol::udp;
    } else {
        bad_probe(text, "the protocol must be tcp, udp or icmp");
    }
    if (colon == std::string::npos) bad_probe(text, protocol + " needs a port");
    const std::string port = text.substr(colon + 1);
    long value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || port.empty())
        bad_probe(text, "'" + port + "' is not a port number");
    if (value < 1 || value > 65535)
        bad_probe(text, fmt::format("port {} is out of range (1-65535)", value));
    spec.port = static_cast<std::uint16_t>(value);
    return spec;
}

std::string parse_probe_origin(const std::string& text) {
    constexpr std::string_view kPrefix = "container:";
    if (!text.starts_with(kPrefix) || text.size() == kPrefix.size())
        throw Error(fmt::format("send the probe from '{}'", text), "--from takes container:NAME",
                    "e.g. --from container:web");
    return text.substr(kPrefix.size());
}

TraceSettings validate_trace_options(const TraceOptions& options) {
    TraceSettings request;
    request.ready_file = options.ready_file;
    if (!options.from.empty() && options.probe.empty())
        throw Error("use --from", "it says where a probe leaves from, and no --probe was given",
                    "e.g. --probe tcp:443 --from container:web");
    if (!options.probe.empty() && options.watch_seconds)
        throw Error("probe and watch at once", "--probe sends a packet, --watch only listens",
                    "choose one");
    if (!options.probe.empty()) {
        request.probe = parse_probe_spec(options.probe);
        if (!options.from.empty()) request.container = parse_probe_origin(options.from);
        return request;
    }
    if (!options.watch_seconds)
        throw Error("trace packets", "neither --probe nor --watch was given",
                    "e.g. --probe tcp:443 or --watch 10");
    const int seconds = *options.watch_seconds;
    if (seconds < 1 || seconds > kMaxWatchSeconds)
        throw Error("watch for " + std::to_string(seconds) + " s",
                    fmt::format("--watch takes 1 to {} seconds", kMaxWatchSeconds),
                    "e.g. --watch 10; Ctrl-C ends it early");
    request.watch_seconds = seconds;
    return request;
}

}  // namespace pathwhy
