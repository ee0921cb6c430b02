// IPv4 addresses (RTM_GETADDR), kept with their host bits: "172.31.0.1/16 dev br-x".
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "kernel/netlink_attributes.h"
#include "kernel/rtnl_readers.h"

namespace pathwhy {

std::optional<Address> decode_address(const nlmsghdr& message) {
    const auto* header = family_header_of<ifaddrmsg>(message);
    if (!header || header->ifa_family != AF_INET) return std::nullopt;
    NetlinkAttributes attributes(message, sizeof(ifaddrmsg));
    // IFA_LOCAL is this host's address; IFA_ADDRESS differs from it only on point-to-point
    // links, where it names the peer.
    auto local = attributes.ipv4(IFA_LOCAL);
    if (!local) local = attributes.ipv4(IFA_ADDRESS);
    if (!local) return std::nullopt;

    Address address;
    address.ifindex = static_cast<int>(header->ifa_index);
    address.cidr = Ipv4Cidr{*local, header->ifa_prefixlen};
    address.label = attributes.string(IFA_LABEL).value_or("");
    address.scope = header->ifa_scope;
    return address;
}

std::vector<Address> read_addresses(NetlinkSocket& socket) {
    ifaddrmsg request{};
    request.ifa_family = AF_INET;
    return dump_objects(socket, RTM_GETADDR, request, decode_address, "list IPv4 addresses");
}

}  // namespace pathwhy
