#include "explain/address_pool_planner.h"

#include <algorithm>

namespace pathwhy {

namespace {

std::vector<Ipv4Cidr> candidate_bases() {
    std::vector<Ipv4Cidr> bases;
    auto slash16 = [](unsigned a, unsigned b) {
        return Ipv4Cidr{Ipv4Address{(a << 24) | (b << 16)}, 16};
    };
    for (unsigned second = 16; second <= 31; ++second) bases.push_back(slash16(172, second));
    bases.push_back(slash16(192, 168));
    for (int second = 255; second >= 0; --second) bases.push_back(slash16(10, second));
    return bases;
}

}  // namespace

std::optional<PoolSuggestion> suggest_address_pool(const std::vector<Ipv4Cidr>& avoid) {
    for (const Ipv4Cidr& base : candidate_bases()) {
        bool clear = std::none_of(avoid.begin(), avoid.end(), [&](const Ipv4Cidr& used) {
            return used.length > 0 && used.overlaps(base);
        });
        if (!clear) continue;
        Ipv4Cidr last_slash24{Ipv4Address{base.last().value & Ipv4Cidr::mask_of(24)}, 24};
        return PoolSuggestion{base, 24, last_slash24};
    }
    return std::nullopt;
}

}  // namespace pathwhy
