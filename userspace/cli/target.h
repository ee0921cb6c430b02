// What `pathwhy TARGET` asks about, parsed from the command line: an address, a port on an
// address (HOST:PORT/udp|tcp), a port this host publishes (:PORT/udp|tcp), or a container
// (container:NAME). Pure; a target that cannot be one of these is an Error with one line saying
// what is wrong and an example of what would be right.
#pragma once

#include <cstdint>
#include <string>

#include "model/ipv4.h"

namespace pathwhy {

struct Target {
    enum class Kind { address, address_port, local_port, container };

    Kind kind = Kind::address;
    std::string text;           // as typed
    Ipv4Address address;        // address, address_port
    std::uint16_t port = 0;     // address_port, local_port
    std::uint8_t protocol = 0;  // IPPROTO_UDP / IPPROTO_TCP, with a port
    std::string container;      // container: a name or an id
};

// Throws Error("diagnose '<text>'", what is wrong, an example).
Target parse_target(const std::string& text);

}  // namespace pathwhy
