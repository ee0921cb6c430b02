// The conntrack table of the calling thread's network namespace (enter another with NetnsScope
// first), over ctnetlink: listing the IPv4 entries that touch an address or a port, and deleting
// exactly the entries the explainer named — what `conntrack -L` and `conntrack -D` do.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/conntrack_entry.h"

namespace pathwhy {

// Which entries a diagnosis needs; every field left empty matches everything.
struct ConntrackFilter {
    std::optional<Ipv4Address> address;  // in either tuple, as source or destination
    std::vector<std::uint16_t> ports;    // the original destination port is one of these
    std::optional<std::uint8_t> protocol;

    bool matches(const ConntrackEntry& entry) const;
};

// Dumps the table and keeps what `filter` matches (in user space: kernels before 5.9 cannot
// filter a dump by tuple). Throws pathwhy::Error when the table cannot be read (no
// CAP_NET_ADMIN, no conntrack in this kernel).
std::vector<ConntrackEntry> read_conntrack(const ConntrackFilter& filter = {});

// Deletes the entry with this original tuple, zone and id. Returns false when it is gone already
// (expired, or deleted and re-created with a new id since it was read); throws pathwhy::Error
// for anything else.
bool delete_conntrack_entry(const ConntrackEntry& entry);

}  // namespace pathwhy
