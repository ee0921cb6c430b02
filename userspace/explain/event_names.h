// The names users and scripts read for the numbers observed events carry: neighbour (NUD_*)
// states, conntrack's ctinfo, ICMP types and codes, route lookup errors — so that the text, the
// JSON and the findings' evidence say the same words. (IP protocols: model/ip_protocol.h;
// conntrack status bits: model/conntrack_entry.h.)
#pragma once

#include <cstdint>
#include <string>

namespace pathwhy {

inline constexpr std::uint16_t kNudIncomplete = 0x01;
inline constexpr std::uint16_t kNudFailed = 0x20;

inline constexpr std::uint8_t kIcmpDestUnreachable = 3;
inline constexpr std::uint8_t kIcmpHostUnreachable = 1;  // code of type 3

std::string nud_state_name(std::uint16_t state);  // "INCOMPLETE", "FAILED", "NONE", ...

// enum ip_conntrack_info: "NEW", "ESTABLISHED", "RELATED" (+ IS_REPLY); "UNTRACKED".
std::string ctinfo_state_name(std::uint8_t ctinfo);
bool ctinfo_is_reply(std::uint8_t ctinfo);

// "host unreachable", "port unreachable", "fragmentation needed", ...; "type T code C" else.
std::string icmp_meaning(std::uint8_t type, std::uint8_t code);
// What a socket reports for that ICMP error: "No route to host", "Connection refused"; "" if none.
std::string icmp_socket_error(std::uint8_t type, std::uint8_t code);

// A negative errno from a FIB lookup: "no match in this table (EAGAIN)", "blackhole route
// (EINVAL)".
std::string lookup_error_name(int error);

}  // namespace pathwhy
