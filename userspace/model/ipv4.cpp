#include "model/ipv4.h"

#include <arpa/inet.h>

#include <charconv>

#include <fmt/format.h>

namespace pathwhy {

std::optional<Ipv4Address> Ipv4Address::parse(std::string_view text) {
    // inet_pton rejects leading zeros, short forms and trailing junk, which is what we want:
    // "172.31.151.055" or "172.31" are typos, not addresses.
    if (text.empty() || text.size() > 15) return std::nullopt;
    std::string copy(text);
    in_addr a{};
    if (inet_pton(AF_INET, copy.c_str(), &a) != 1) return std::nullopt;
    return from_network_order(a.s_addr);
}

Ipv4Address Ipv4Address::from_network_order(std::uint32_t be) { return Ipv4Address{ntohl(be)}; }

std::uint32_t Ipv4Address::network_order() const { return htonl(value); }

std::string Ipv4Address::str() const {
    return fmt::format("{}.{}.{}.{}", value >> 24, (value >> 16) & 0xff, (value >> 8) & 0xff,
                       value & 0xff);
}

std::uint32_t Ipv4Cidr::mask_of(int length) {
    return length <= 0 ? 0u : (length >= 32 ? 0xffffffffu : ~((1u << (32 - length)) - 1));
}

std::optional<Ipv4Cidr> Ipv4Cidr::parse(std::string_view text) {
    if (text == "default") return Ipv4Cidr{Ipv4Address{0}, 0};
    auto slash = text.find('/');
    auto address = Ipv4Address::parse(text.substr(0, slash));
    if (!address) return std::nullopt;
    if (slash == std::string_view::npos) return Ipv4Cidr{*address, 32};
    auto digits = text.substr(slash + 1);
    int length = -1;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
    if (ec != std::errc{} || end != digits.data() + digits.size() || digits.empty() ||
        length < 0 || length > 32)
        return std::nullopt;
    return Ipv4Cidr{*address, length};
}

std::string Ipv4Cidr::str() const { return fmt::format("{}/{}", address.str(), length); }

}  // namespace pathwhy
