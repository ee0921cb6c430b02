// IPv4 addresses and prefixes as plain values: parsing, formatting, containment.
// Every layer speaks these types, so they hold no policy, only arithmetic.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pathwhy {

// An IPv4 address in host byte order, so that comparisons and masks are plain integer maths.
struct Ipv4Address {
    std::uint32_t value = 0;

    static std::optional<Ipv4Address> parse(std::string_view text);
    static Ipv4Address from_network_order(std::uint32_t be);
    std::uint32_t network_order() const;
    std::string str() const;

    auto operator<=>(const Ipv4Address&) const = default;
};

// An address with a prefix length, as written in "172.31.0.1/16". The address keeps its host
// bits (a container's "172.18.0.2/16" means both "this host" and "this subnet"); network() drops them.
struct Ipv4Cidr {
    Ipv4Address address;
    int length = 32;

    // Accepts "a.b.c.d/n", a bare address (/32) and "default" (0.0.0.0/0).
    static std::optional<Ipv4Cidr> parse(std::string_view text);
    static std::uint32_t mask_of(int length);

    std::uint32_t mask() const { return mask_of(length); }
    Ipv4Cidr network() const { return {Ipv4Address{address.value & mask()}, length}; }
    Ipv4Address first() const { return Ipv4Address{address.value & mask()}; }
    Ipv4Address last() const { return Ipv4Address{(address.value & mask()) | ~mask()}; }
    bool has_host_bits() const { return (address.value & ~mask()) != 0; }
    bool contains(Ipv4Address a) const { return ((a.value ^ address.value) & mask()) == 0; }
    bool contains(const Ipv4Cidr& other) const {
        return other.length >= length && contains(other.address);
    }
    bool overlaps(const Ipv4Cidr& other) const { return contains(other) || other.contains(*this); }
    // "172.31.0.0/16"; "default" is left to callers that want the ip-route spelling.
    std::string str() const;

    auto operator<=>(const Ipv4Cidr&) const = default;
};

}  // namespace pathwhy
