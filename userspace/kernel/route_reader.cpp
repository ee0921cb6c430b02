// IPv4 routes of every table (RTM_GETROUTE dump), and the decoding of one RTM_NEWROUTE message
// that the kernel's `ip route get` answers reuse.
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <algorithm>

#include "kernel/netlink_attributes.h"
#include "kernel/rtnl_readers.h"

namespace pathwhy {
namespace {

RouteType route_type_of(std::uint8_t rtm_type) {
    switch (rtm_type) {
        case RTN_UNICAST:
            return RouteType::unicast;
        case RTN_LOCAL:
            return RouteType::local;
        case RTN_BROADCAST:
            return RouteType::broadcast;
        case RTN_MULTICAST:
            return RouteType::multicast;
        case RTN_ANYCAST:
            return RouteType::anycast;
        case RTN_UNREACHABLE:
            return RouteType::unreachable;
        case RTN_BLACKHOLE:
            return RouteType::blackhole;
        case RTN_PROHIBIT:
            return RouteType::prohibit;
        case RTN_THROW:
            return RouteType::throw_;
        case RTN_NAT:
            return RouteType::nat;
        default:
            return RouteType::other;
    }
}

// RTA_MULTIPATH is a packed array of rtnexthop headers, each followed by its own attributes
// (RTA_GATEWAY); libmnl does not know this layout, so the walk uses the kernel's RTNH_* macros.
std::vector<Nexthop> decode_multipath(const nlattr& multipath) {
    std::vector<Nexthop> nexthops;
    const auto* hop = static_cast<const rtnexthop*>(mnl_attr_get_payload(&multipath));
    int remaining = mnl_attr_get_payload_len(&multipath);
    while (RTNH_OK(hop, remaining)) {
        auto attributes =
            NetlinkAttributes::in_payload(RTNH_DATA(hop), hop->rtnh_len - RTNH_LENGTH(0));
        nexthops.push_back(Nexthop{.gateway = attributes.ipv4(RTA_GATEWAY),
                                   .ifindex = hop->rtnh_ifindex,
                                   .weight = hop->rtnh_hops + 1,  // the kernel stores weight - 1
                                   .linkdown = (hop->rtnh_flags & RTNH_F_LINKDOWN) != 0});
        remaining -= RTNH_ALIGN(hop->rtnh_len);
        hop = RTNH_NEXT(hop);
    }
    return nexthops;
}

bool is_cached_clone(const nlmsghdr& message) {
    const auto* header = family_header_of<rtmsg>(message);
    return header && (header->rtm_flags & RTM_F_CLONED);
}

}  // namespace

std::optional<Route> decode_route(const nlmsghdr& message) {
    const auto* header = family_header_of<rtmsg>(message);
    if (!header || header->rtm_family != AF_INET) return std::nullopt;
    NetlinkAttributes attributes(message, sizeof(rtmsg));

    Route route;
    // rtm_table is 8 bits wide; RTA_TABLE carries ids above 255 (rtm_table is then
    // RT_TABLE_COMPAT).
    route.table = attributes.u32(RTA_TABLE).value_or(header->rtm_table);
    route.destination =
        Ipv4Cidr{attributes.ipv4(RTA_DST).value_or(Ipv4Address{}), header->rtm_dst_len}.network();
    route.type = route_type_of(header->rtm_type);
    route.protocol = header->rtm_protocol;
    route.scope = header->rtm_scope;
    route.tos = header->rtm_tos;
    route.metric = attributes.u32(RTA_PRIORITY).value_or(0);
    route.gateway = attributes.ipv4(RTA_GATEWAY);
    route.oif = static_cast<int>(attributes.u32(RTA_OIF).value_or(0));
    route.prefsrc = attributes.ipv4(RTA_PREFSRC);
    if (const nlattr* multipath = attributes.find(RTA_MULTIPATH)) {
        route.multipath = decode_multipath(*multipath);
        route.linkdown = !route.multipath.empty() &&
                         std::all_of(route.multipath.begin(), route.multipath.end(),
                                     [](const Nexthop& hop) { return hop.linkdown; });
    } else {
        // A single nexthop's flags travel in rtm_flags.
        route.linkdown = header->rtm_flags & RTNH_F_LINKDOWN;
    }
    return route;
}

std::vector<Route> read_routes(NetlinkSocket& socket) {
    rtmsg request{};
    request.rtm_family = AF_INET;  // rtm_table 0: every table
    auto decode_fib_entry = [](const nlmsghdr& message) -> std::optional<Route> {
        if (is_cached_clone(message)) return std::nullopt;
        return decode_route(message);
    };
    return dump_objects(socket, RTM_GETROUTE, request, decode_fib_entry, "list IPv4 routes");
}

}  // namespace pathwhy
