#include "explain/port_refs.h"

#include <fmt/format.h>

#include "model/ip_protocol.h"

namespace pathwhy {

std::string PublishedPortRef::leads_to() const {
    if (container.empty()) return "no running container publishes it";
    std::string text =
        fmt::format("{} {}:{}", container, container_ipv4 ? container_ipv4->str() : "(no address)",
                    container_port);
    if (!network.empty()) text += " (network " + network + ")";
    return text;
}

std::string PublishedPortRef::describe() const {
    return fmt::format("{}:{}/{} → {}", host.str(), port, ip_protocol_name(protocol), leads_to());
}

std::string stale_nat_id(StaleNat nat) {
    switch (nat) {
        case StaleNat::none:
            return "none";
        case StaleNat::gone_address:
            return "gone-address";
        case StaleNat::other_container:
            return "other-container";
        case StaleNat::wrong_port:
            return "wrong-port";
    }
    return "none";
}

}  // namespace pathwhy
