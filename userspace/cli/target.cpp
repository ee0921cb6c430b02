#include "cli/target.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "common/error.h"
#include "model/ip_protocol.h"

namespace pathwhy {

namespace {

constexpr std::string_view kContainerPrefix = "container:";

[[noreturn]] void reject(const std::string& text, const std::string& reason,
                         const std::string& hint) {
    throw Error("diagnose '" + text + "'", reason, hint);
}

bool all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

Ipv4Address parse_address(const std::string& text, std::string_view host) {
    if (auto address = Ipv4Address::parse(host)) return *address;
    if (Ipv4Cidr::parse(host))
        reject(text, "that is a prefix; give one address in it", "e.g. pathwhy 172.31.151.55");
    if (host.find(':') != std::string_view::npos)
        reject(text, "IPv6 destinations are not supported yet", "give an IPv4 address");
    reject(text, "not an IPv4 address",
           "pathwhy takes addresses; for a name, look it up first: getent hosts NAME");
}

std::uint16_t parse_port(const std::string& text, std::string_view digits) {
    const char* end = digits.data() + digits.size();
    unsigned value = 0;
    auto [stop, error] = std::from_chars(digits.data(), end, value);
    if (!all_digits(digits) || error != std::errc{} || stop != end || value == 0 || value > 65535)
        reject(text, "port '" + std::string(digits) + "' is not a port number (1-65535)",
               "e.g. pathwhy :8888/udp");
    return static_cast<std::uint16_t>(value);
}

// HOST:PORT/PROTOCOL or :PORT/PROTOCOL; `colon` is the last ':' before the '/'.
Target parse_port_target(const std::string& text, std::size_t colon, std::size_t slash) {
    Target target;
    target.text = text;
    const std::string_view view(text);
    const std::string protocol(view.substr(slash + 1));
    if (protocol.empty())
        reject(text, "no protocol after the port", "write " + text + "udp or " + text + "tcp");
    auto number = ip_protocol_number(protocol);
    if (!number)
        reject(text, "protocol '" + protocol + "' is not supported: give udp or tcp",
               "e.g. pathwhy :8888/udp");
    target.protocol = *number;
    target.port = parse_port(text, view.substr(colon + 1, slash - colon - 1));
    if (colon == 0) {
        target.kind = Target::Kind::local_port;
    } else {
        target.kind = Target::Kind::address_port;
        target.address = parse_address(text, view.substr(0, colon));
    }
    return target;
}

}  // namespace

Target parse_target(const std::string& text) {
    Target target;
    target.text = text;
    if (text.starts_with(kContainerPrefix)) {
        target.kind = Target::Kind::container;
        target.container = text.substr(kContainerPrefix.size());
        if (target.container.empty())
            reject(text, "no container name after 'container:'", "e.g. pathwhy container:web");
        return target;
    }
    const std::size_t slash = text.find('/');
    const std::size_t colon = text.rfind(':', slash);
    if (colon != std::string::npos && slash != std::string::npos && colon < slash)
        return parse_port_target(text, colon, slash);
    if (colon != std::string::npos && all_digits(std::string_view(text).substr(colon + 1)) &&
        text.find(':') == colon)
        reject(text, "no protocol after the port", "write " + text + "/udp or " + text + "/tcp");
    target.address = parse_address(text, text);
    return target;
}

}  // namespace pathwhy
