// IPv4 neighbours (RTM_GETNEIGH): the ARP cache with its NUD states, e.g. a FAILED entry on a
// Docker bridge that swallowed a peer's address.
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "kernel/netlink_attributes.h"
#include "kernel/rtnl_readers.h"

namespace pathwhy {

std::optional<Neighbour> decode_neighbour(const nlmsghdr& message) {
    const auto* header = family_header_of<ndmsg>(message);
    if (!header || header->ndm_family != AF_INET) return std::nullopt;
    NetlinkAttributes attributes(message, sizeof(ndmsg));
    auto destination = attributes.ipv4(NDA_DST);
    if (!destination) return std::nullopt;

    Neighbour neighbour;
    neighbour.ifindex = header->ndm_ifindex;
    neighbour.address = *destination;
    // Absent while the address is still being resolved or has failed to resolve.
    neighbour.lladdr = attributes.hardware_address(NDA_LLADDR).value_or("");
    neighbour.state = header->ndm_state;
    return neighbour;
}

std::vector<Neighbour> read_neighbours(NetlinkSocket& socket) {
    ndmsg request{};
    request.ndm_family = AF_INET;
    return dump_objects(socket, RTM_GETNEIGH, request, decode_neighbour, "list IPv4 neighbours");
}

}  // namespace pathwhy
