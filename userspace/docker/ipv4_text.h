// IPv4 prefixes as Docker writes them. Ipv4Cidr::parse is generous (a bare address is a /32,
// "default" is 0.0.0.0/0, as ip-route spells them); in Docker's JSON a subnet always carries its
// prefix, and anything else is not one.
#pragma once

#include <optional>
#include <string_view>

#include "model/ipv4.h"

namespace pathwhy {

inline std::optional<Ipv4Cidr> parse_docker_cidr(std::string_view text) {
    if (text.find('/') == std::string_view::npos) return std::nullopt;
    return Ipv4Cidr::parse(text);
}

}  // namespace pathwhy
