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

// One RTM_NEWROUTE message as a Route, whether it comes from a dump or answers RTM_GETROUTE;
// nullopt for another address family or a malformed message.
std::optional<Route> decode_route(const nlmsghdr& message);

}  // namespace pathwhy
