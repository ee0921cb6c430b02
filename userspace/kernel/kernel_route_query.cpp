// RTM_GETROUTE requests: one for the route the packet would take (gateway, device, source, table)
// and one with RTM_F_FIB_MATCH for the routing-table entry that matched (its prefix).
#include "kernel/kernel_route_query.h"

#include <fmt/format.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

#include <cerrno>

#include "common/error.h"
#include "kernel/netlink_socket.h"
#include "kernel/rtnl_readers.h"

namespace pathwhy {
namespace {

std::uint32_t interface_index(const std::string& name, const std::string& action) {
    unsigned index = if_nametoindex(name.c_str());
    if (index == 0)
        throw Error(action, fmt::format("no interface named '{}' in this network namespace", name),
                    "see `ip link`");
    return index;
}

// Fills `buffer` with the request `ip route get` sends for `flow`. RTM_F_LOOKUP_TABLE makes the
// kernel report the table the route came from; without it every answer says "main".
nlmsghdr& build_route_request(char* buffer, const RouteFlow& flow, std::uint32_t extra_flags,
                              const std::string& action) {
    nlmsghdr* message = mnl_nlmsg_put_header(buffer);
    message->nlmsg_type = RTM_GETROUTE;
    message->nlmsg_flags = NLM_F_REQUEST;
    auto* header = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(message, sizeof(rtmsg)));
    header->rtm_family = AF_INET;
    header->rtm_flags = RTM_F_LOOKUP_TABLE | extra_flags;
    header->rtm_tos = flow.tos;
    header->rtm_dst_len = 32;
    mnl_attr_put_u32(message, RTA_DST, flow.destination.network_order());
    if (flow.source) {
        header->rtm_src_len = 32;
        mnl_attr_put_u32(message, RTA_SRC, flow.source->network_order());
    }
    if (flow.fwmark) mnl_attr_put_u32(message, RTA_MARK, flow.fwmark);
    if (!flow.locally_generated())
        mnl_attr_put_u32(message, RTA_IIF, interface_index(flow.iif, action));
    if (!flow.oif.empty()) mnl_attr_put_u32(message, RTA_OIF, interface_index(flow.oif, action));
    if (flow.ip_proto) mnl_attr_put_u8(message, RTA_IP_PROTO, flow.ip_proto);
    return *message;
}

// The route type behind each lookup error (net/ipv4/fib_semantics.c, fib_props[]).
RouteType route_type_of_error(int error) {
    switch (error) {
        case EHOSTUNREACH:
            return RouteType::unreachable;
        case EACCES:
            return RouteType::prohibit;
        case EINVAL:
            return RouteType::blackhole;
        default:
            return RouteType::other;
    }
}

// One exchange; the reply is a single RTM_NEWROUTE or an NLMSG_ERROR. The request is a header
// and at most six small attributes, well under 256 bytes.
int ask(NetlinkSocket& socket, const RouteFlow& flow, std::uint32_t extra_flags,
        const std::string& action, std::optional<Route>& reply) {
    alignas(nlmsghdr) char buffer[256];
    nlmsghdr& request = build_route_request(buffer, flow, extra_flags, action);
    return socket.request(
        request, [&](const nlmsghdr& message) { reply = decode_route(message); }, action);
}

}  // namespace

KernelRouteAnswer ask_kernel_route(Ipv4Address destination) {
    RouteFlow flow;
    flow.destination = destination;
    return ask_kernel_route(flow);
}

KernelRouteAnswer ask_kernel_route(const RouteFlow& flow) {
    const std::string action =
        fmt::format("ask the kernel for a route to {}", flow.destination.str());
    NetlinkSocket socket;
    KernelRouteAnswer answer;

    std::optional<Route> taken;
    answer.error = ask(socket, flow, 0, action, taken);
    if (answer.error) {
        answer.type = route_type_of_error(answer.error);
        return answer;
    }
    if (!taken) throw Error(action, "the kernel's answer was not an IPv4 route");
    answer.type = taken->type;
    answer.table = taken->table;
    answer.gateway = taken->gateway;
    answer.oif = taken->oif;
    answer.prefsrc = taken->prefsrc;

    // Should the routes change between the two questions so that the second one fails, the
    // prefix stays unknown.
    std::optional<Route> matched;
    if (ask(socket, flow, RTM_F_FIB_MATCH, action, matched) == 0 && matched)
        answer.matched_prefix = matched->destination;
    return answer;
}

}  // namespace pathwhy
