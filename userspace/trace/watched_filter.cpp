#include "trace/watched_filter.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>

#include "common/error.h"

namespace pathwhy {

WatchedFilter watched_filter(const std::vector<Ipv4Cidr>& watched) {
    if (watched.size() > PW_MAX_WATCHED_PREFIXES)
        throw Error("trace packets", fmt::format("{} prefixes to watch, at most {} can be",
                                                 watched.size(), PW_MAX_WATCHED_PREFIXES));
    WatchedFilter filter;
    if (watched.empty()) return filter;
    // The covering prefix keeps the leading bits every prefix shares, up to the shortest one.
    int length = 32;
    const std::uint32_t first = watched.front().network().address.value;
    for (const Ipv4Cidr& cidr : watched) {
        filter.keys.push_back(
            {static_cast<__u32>(cidr.length), cidr.network().address.network_order()});
        length = std::min(length, cidr.length);
        length = std::min(length, std::countl_zero(first ^ cidr.network().address.value));
    }
    const Ipv4Cidr covering{Ipv4Address{first}, length};
    filter.net = covering.network().address.network_order();
    filter.mask = Ipv4Address{covering.mask()}.network_order();
    return filter;
}

}  // namespace pathwhy
