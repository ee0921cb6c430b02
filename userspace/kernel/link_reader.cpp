// Links (RTM_GETLINK): name, kind, master, admin and carrier state, MTU and MAC of every interface.
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "kernel/netlink_attributes.h"
#include "kernel/rtnl_readers.h"

namespace pathwhy {
namespace {

// RFC 2863 operational states (IF_OPER_*), spelled like `ip link` does, in lower case.
std::string operstate_name(std::uint8_t operstate) {
    switch (operstate) {
        case IF_OPER_NOTPRESENT:
            return "notpresent";
        case IF_OPER_DOWN:
            return "down";
        case IF_OPER_LOWERLAYERDOWN:
            return "lowerlayerdown";
        case IF_OPER_TESTING:
            return "testing";
        case IF_OPER_DORMANT:
            return "dormant";
        case IF_OPER_UP:
            return "up";
        default:
            return "unknown";
    }
}

}  // namespace

std::optional<Link> decode_link(const nlmsghdr& message) {
    const auto* header = family_header_of<ifinfomsg>(message);
    if (!header) return std::nullopt;
    NetlinkAttributes attributes(message, sizeof(ifinfomsg));

    Link link;
    link.ifindex = header->ifi_index;
    link.name = attributes.string(IFLA_IFNAME).value_or("");
    if (const nlattr* info = attributes.find(IFLA_LINKINFO))
        link.kind = NetlinkAttributes::nested(*info).string(IFLA_INFO_KIND).value_or("");
    link.master_ifindex = static_cast<int>(attributes.u32(IFLA_MASTER).value_or(0));
    link.admin_up = header->ifi_flags & IFF_UP;
    link.carrier = header->ifi_flags & IFF_LOWER_UP;
    link.operstate = operstate_name(attributes.u8(IFLA_OPERSTATE).value_or(IF_OPER_UNKNOWN));
    link.mtu = attributes.u32(IFLA_MTU).value_or(0);
    link.mac = attributes.hardware_address(IFLA_ADDRESS).value_or("");
    return link;
}

std::vector<Link> read_links(NetlinkSocket& socket) {
    ifinfomsg request{};
    request.ifi_family = AF_UNSPEC;
    return dump_objects(socket, RTM_GETLINK, request, decode_link, "list network interfaces");
}

}  // namespace pathwhy
