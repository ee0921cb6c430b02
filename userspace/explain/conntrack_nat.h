// NAT reasoning on conntrack entries: which entries belong to a published host port, and whether
// each one's translation still matches what Docker publishes now. Conntrack consults the nat
// table only for a flow's first packet; every later packet follows the entry, so an entry made
// before a redeploy (or in the gap while no DNAT rule existed) keeps its old answer for as long
// as packets keep refreshing it. Pure: the snapshot in, a reading out.
#pragma once

#include <optional>

#include "explain/published_ports.h"
#include "model/snapshot.h"

namespace pathwhy {

// The entry's first packet was addressed to `port` on one of this host's own addresses (`host`
// only, when given): the packets Docker's DNAT rule (`-m addrtype --dst-type LOCAL`) is there
// to catch.
bool addressed_to_host_port(const Snapshot& snapshot, const ConntrackEntry& entry, HostPort port,
                            std::optional<Ipv4Address> host = std::nullopt);

struct StaleReading {
    StaleNat nat = StaleNat::none;
    Ipv4Address address;  // where the entry sends the flow: its reply source
    std::uint16_t port = 0;
    const DockerContainer* owner = nullptr;  // the running container that has `address`
    std::optional<PortPublisher> publisher;  // who publishes the port at the entry's address now
};

// Why an entry addressed to a published port (addressed_to_host_port) no longer matches the
// port's NAT; nullopt when it does, or when it is not Docker's to judge:
//  - DNATed to the publisher's address and port: current.
//  - not DNATed: stale when a container publishes the port on that address — except flows
//    from loopback, or from a Docker network with the userland proxy on (docker-proxy serves
//    those without NAT), which Docker never translates.
//  - DNATed elsewhere: stale when a container publishes the port, or when the target lies in a
//    Docker network's subnet (a container address that is gone); another DNAT is someone else's.
// TCP entries in TIME_WAIT or CLOSE are never stale: no packet keeps them alive.
std::optional<StaleReading> read_stale_nat(const Snapshot& snapshot, const ConntrackEntry& entry);

}  // namespace pathwhy
