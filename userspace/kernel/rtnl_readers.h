// The five rtnetlink dumps that make up a KernelState, one reader per object kind, each in its own
// .cpp. All of them read the network namespace the socket was opened in, IPv4 only.
#pragma once

#include <linux/netlink.h>

#include <optional>
#include <vector>

#include "kernel/netlink_socket.h"
#include "model/kernel_state.h"

namespace pathwhy {

std::vector<Link> read_links(NetlinkSocket& socket);
std::vector<Address> read_addresses(NetlinkSocket& socket);
// Every table, local and main included; cached/cloned entries are left out.
std::vector<Route> read_routes(NetlinkSocket& socket);
std::vector<Rule> read_rules(NetlinkSocket& socket);
std::vector<Neighbour> read_neighbours(NetlinkSocket& socket);

// One message as the model's object, whether it comes from a dump, answers RTM_GETROUTE or was
// announced to a monitor (rtnl_monitor.h); nullopt for another address family or a malformed
// message.
std::optional<Route> decode_route(const nlmsghdr& message);
std::optional<Link> decode_link(const nlmsghdr& message);
std::optional<Address> decode_address(const nlmsghdr& message);
std::optional<Rule> decode_rule(const nlmsghdr& message);
std::optional<Neighbour> decode_neighbour(const nlmsghdr& message);

}  // namespace pathwhy
