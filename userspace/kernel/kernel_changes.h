// What an rtnetlink monitor hears, as the model's KernelChange: links, IPv4 addresses, routes,
// rules and neighbours announced on the groups below. Pure decoding of one message.
#pragma once

#include <linux/netlink.h>

#include <optional>
#include <vector>

#include "model/kernel_change.h"

namespace pathwhy {

// RTNLGRP_LINK, _IPV4_IFADDR, _IPV4_ROUTE, _IPV4_RULE and _NEIGH.
std::vector<unsigned> kernel_change_groups();

// nullopt for messages of other families or types.
std::optional<KernelChange> decode_kernel_change(const nlmsghdr& message);

}  // namespace pathwhy
