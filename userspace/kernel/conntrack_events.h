// What a conntrack event monitor hears (NFNLGRP_CONNTRACK_NEW/UPDATE/DESTROY), as the model's
// ConntrackEvent. The entry itself is decoded as a table dump's is (conntrack_message.h).
#pragma once

#include <linux/netlink.h>

#include <optional>
#include <vector>

#include "model/conntrack_event.h"

namespace pathwhy {

std::vector<unsigned> conntrack_event_groups();

// nullopt for other messages and non-IPv4 entries.
std::optional<ConntrackEvent> decode_conntrack_event(const nlmsghdr& message);

}  // namespace pathwhy
