#include "model/kernel_state.h"

#include <fmt/format.h>

namespace pathwhy {

const Link* KernelState::link_by_index(int ifindex) const {
    for (const auto& link : links)
        if (link.ifindex == ifindex) return &link;
    return nullptr;
}

const Link* KernelState::link_by_name(const std::string& name) const {
    for (const auto& link : links)
        if (link.name == name) return &link;
    return nullptr;
}

std::string KernelState::link_name(int ifindex) const {
    const Link* link = link_by_index(ifindex);
    return link ? link->name : fmt::format("if{}", ifindex);
}

std::string route_type_name(RouteType type) {
    switch (type) {
        case RouteType::unicast: return "unicast";
        case RouteType::local: return "local";
        case RouteType::broadcast: return "broadcast";
        case RouteType::multicast: return "multicast";
        case RouteType::anycast: return "anycast";
        case RouteType::unreachable: return "unreachable";
        case RouteType::blackhole: return "blackhole";
        case RouteType::prohibit: return "prohibit";
        case RouteType::throw_: return "throw";
        case RouteType::nat: return "nat";
        case RouteType::other: return "other";
    }
    return "other";
}

}  // namespace pathwhy
