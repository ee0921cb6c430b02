// How the watched prefixes reach the kernel: the LPM trie's keys, and the smallest prefix
// covering them all, which the programs check first (one AND) so that an address far from
// anything watched never walks the trie. Pure, so the arithmetic is unit-tested.
#pragma once

#include <cstdint>
#include <vector>

#include "events.h"
#include "model/ipv4.h"

namespace pathwhy {

struct WatchedFilter {
    std::vector<pw_watched_prefix> keys;  // network byte order, host bits cleared
    std::uint32_t net = 0;                // the covering prefix, network byte order
    std::uint32_t mask = 0xffffffff;      // its mask, network byte order; none watched: /32 of 0
};

// Throws Error for more than PW_MAX_WATCHED_PREFIXES prefixes.
WatchedFilter watched_filter(const std::vector<Ipv4Cidr>& watched);

}  // namespace pathwhy
