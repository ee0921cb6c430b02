// ctnetlink messages (NETLINK_NETFILTER, subsystem CTNETLINK) for IPv4 entries, both ways: one
// IPCTNL_MSG_CT_NEW message as a ConntrackEntry — what a table dump and an event monitor both
// receive — and the request that deletes exactly one entry. Pure: bytes in, bytes out.
#pragma once

#include <linux/netlink.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "model/conntrack_entry.h"

namespace pathwhy {

// nlmsg_type of a ctnetlink message: the subsystem in the high byte, the command in the low one.
std::uint16_t ctnetlink_message_type(std::uint8_t command);

// nullopt for another address family or a message without both tuples.
std::optional<ConntrackEntry> decode_conntrack_message(const nlmsghdr& message);

// An IPCTNL_MSG_CT_DELETE request (NLM_F_ACK) naming `entry` by its original tuple and zone, and
// by its id when it has one, so that an entry re-created since it was read (same tuple, new id)
// is left alone: the kernel answers ENOENT instead.
std::vector<char> conntrack_delete_request(const ConntrackEntry& entry);

}  // namespace pathwhy
