// Picks a Docker address pool that stays clear of everything this host already routes to and of
// the destination the user cannot reach: the `prevent` half of a misrouting finding.
#pragma once

#include <optional>
#include <vector>

#include "model/ipv4.h"

namespace pathwhy {

struct PoolSuggestion {
    Ipv4Cidr base;           // for daemon.json default-address-pools
    int size = 24;           // each network gets a /24: 256 networks per /16 base
    Ipv4Cidr fixed_subnet;   // for a compose file's ipam, taken from the end of the base
};

// The peer's real range is unknown (we only know one address in it), so the destination's whole
// /16 is avoided too: /16 is what AWS default VPCs and most peered ranges use.
inline constexpr int kAssumedPeerPrefix = 16;

// Candidates, in order: 172.16.0.0/16 first because Docker's own defaults never use it, then the
// other 172.16.0.0/12 /16s, 192.168.0.0/16, then 10.x/16s from the top down (10.0.x is the most
// common office and VPC range). Returns nullopt only when every candidate overlaps something.
std::optional<PoolSuggestion> suggest_address_pool(const std::vector<Ipv4Cidr>& avoid);

}  // namespace pathwhy
