// The published-port side of a diagnosis, flattened for display and JSON like NetworkRef: the
// port asked about and who publishes it now, and the conntrack entries of a stale-conntrack
// finding with where they send the flow instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/conntrack_entry.h"
#include "model/ipv4.h"

namespace pathwhy {

struct PublishedPortRef {
    Ipv4Address host;  // the host address asked about; 0.0.0.0: every address
    std::uint16_t port = 0;
    std::uint8_t protocol = 0;  // IPPROTO_UDP / IPPROTO_TCP
    // Who publishes it now; empty container when nobody does.
    std::string container;
    std::string container_id;
    std::optional<Ipv4Address> container_ipv4;  // where Docker's DNAT sends it
    std::uint16_t container_port = 0;
    std::string network;  // the network container_ipv4 is on

    // "app 172.18.0.2:8888 (network seed003_default)", or "no running container publishes it".
    std::string leads_to() const;
    // "0.0.0.0:8888/udp → " + leads_to().
    std::string describe() const;
};

struct StaleEntryRef {
    ConntrackEntry entry;
    std::optional<std::int64_t> age_seconds;  // when the namespace timestamps entries
};

// How a stale entry's NAT differs from the port's current one; stable JSON ids.
enum class StaleNat {
    none,             // not DNATed at all: the flow goes to the host itself
    gone_address,     // DNATed to an address no running container has
    other_container,  // DNATed to a container that does not publish the port now
    wrong_port,       // DNATed to the right container, on another port
};

std::string stale_nat_id(StaleNat nat);  // "none", "gone-address", "other-container", "wrong-port"

struct ConntrackRef {
    PublishedPortRef port;
    StaleNat nat = StaleNat::none;
    // Where the entries send the flow instead (their reply source); for `none`, this host.
    Ipv4Address stale_address;
    std::uint16_t stale_port = 0;
    std::string stale_owner;  // the running container that has stale_address, or ""
    std::vector<StaleEntryRef> entries;
};

}  // namespace pathwhy
