#include "model/ip_protocol.h"

#include <netinet/in.h>

namespace pathwhy {

std::string ip_protocol_name(std::uint8_t protocol) {
    switch (protocol) {
        case IPPROTO_TCP:
            return "tcp";
        case IPPROTO_UDP:
            return "udp";
        case IPPROTO_ICMP:
            return "icmp";
        case IPPROTO_SCTP:
            return "sctp";
        default:
            return std::to_string(protocol);
    }
}

std::optional<std::uint8_t> ip_protocol_number(const std::string& name) {
    if (name == "udp") return IPPROTO_UDP;
    if (name == "tcp") return IPPROTO_TCP;
    return std::nullopt;
}

}  // namespace pathwhy
