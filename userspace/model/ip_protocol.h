// IP protocol numbers as users write them ("udp", "tcp"), for targets, Docker's port bindings,
// conntrack listings and the commands pathwhy prints.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace pathwhy {

// "udp", "tcp", "icmp", "sctp", or the number.
std::string ip_protocol_name(std::uint8_t protocol);
// IPPROTO_UDP / IPPROTO_TCP for "udp" / "tcp": the protocols Docker publishes and pathwhy
// diagnoses; nullopt for anything else.
std::optional<std::uint8_t> ip_protocol_number(const std::string& name);

}  // namespace pathwhy
