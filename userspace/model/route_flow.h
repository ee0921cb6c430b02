// The packet a route lookup is about, as far as the IPv4 lookup looks at it. The pure resolver
// and the kernel query take the same value, so the explainer and the tests can ask both the same
// question and compare the answers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/ipv4.h"

namespace pathwhy {

struct RouteFlow {
    Ipv4Address destination;
    // nullopt: no source chosen yet. The kernel then looks up with 0.0.0.0, so no "from" rule
    // other than "from all" matches; the source address is picked after the route.
    std::optional<Ipv4Address> source;
    std::uint32_t fwmark = 0;
    // The interface the packet arrived on; "lo" (or empty) means generated on this host, which
    // is what an output lookup and `ip rule ... iif lo` mean.
    std::string iif = "lo";
    // Set only when the sender is bound to a device (SO_BINDTODEVICE, `ping -I dev`).
    std::string oif;
    std::uint8_t tos = 0;
    std::uint8_t ip_proto = 0;  // IPPROTO_*; 0 is unknown, which no `ipproto` rule matches

    bool locally_generated() const { return iif.empty() || iif == "lo"; }
};

}  // namespace pathwhy
