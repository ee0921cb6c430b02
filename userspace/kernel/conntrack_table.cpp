#include "kernel/conntrack_table.h"

#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "common/error.h"
#include "kernel/conntrack_message.h"
#include "kernel/netlink_socket.h"

namespace pathwhy {

bool ConntrackFilter::matches(const ConntrackEntry& entry) const {
    if (protocol && entry.original.protocol != *protocol) return false;
    if (!ports.empty() &&
        std::find(ports.begin(), ports.end(), entry.original.destination_port) == ports.end())
        return false;
    if (!address) return true;
    for (const FlowTuple* tuple : {&entry.original, &entry.reply})
        if (tuple->source == *address || tuple->destination == *address) return true;
    return false;
}

std::vector<ConntrackEntry> read_conntrack(const ConntrackFilter& filter) {
    NetlinkSocket socket(NETLINK_NETFILTER);
    nfgenmsg request{};
    request.nfgen_family = AF_INET;
    request.version = NFNETLINK_V0;
    auto keep = [&](const nlmsghdr& message) -> std::optional<ConntrackEntry> {
        auto entry = decode_conntrack_message(message);
        if (entry && !filter.matches(*entry)) return std::nullopt;
        return entry;
    };
    return dump_objects(socket, ctnetlink_message_type(IPCTNL_MSG_CT_GET), request, keep,
                        "list conntrack entries");
}

bool delete_conntrack_entry(const ConntrackEntry& entry) {
    NetlinkSocket socket(NETLINK_NETFILTER);
    std::vector<char> request = conntrack_delete_request(entry);
    const int error = socket.request(
        *reinterpret_cast<nlmsghdr*>(request.data()), [](const nlmsghdr&) {},
        "delete a conntrack entry");
    if (error == 0) return true;
    if (error == ENOENT) return false;
    throw Error("delete conntrack entry " + describe_conntrack_entry(entry), errno_text(error),
                error == EPERM ? "run as root or grant CAP_NET_ADMIN" : "");
}

}  // namespace pathwhy
