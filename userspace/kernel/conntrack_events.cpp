#include "kernel/conntrack_events.h"

#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "kernel/conntrack_message.h"

namespace pathwhy {

std::vector<unsigned> conntrack_event_groups() {
    return {NFNLGRP_CONNTRACK_NEW, NFNLGRP_CONNTRACK_UPDATE, NFNLGRP_CONNTRACK_DESTROY};
}

std::optional<ConntrackEvent> decode_conntrack_event(const nlmsghdr& message) {
    ConntrackEvent::Type type;
    if (message.nlmsg_type == ctnetlink_message_type(IPCTNL_MSG_CT_DELETE)) {
        type = ConntrackEvent::Type::destroyed;
    } else if (message.nlmsg_type == ctnetlink_message_type(IPCTNL_MSG_CT_NEW)) {
        // The kernel flags a new entry's announcement NLM_F_CREATE|NLM_F_EXCL, a change's none.
        type = message.nlmsg_flags & NLM_F_CREATE ? ConntrackEvent::Type::created
                                                  : ConntrackEvent::Type::updated;
    } else {
        return std::nullopt;
    }
    auto entry = decode_conntrack_message(message);
    if (!entry) return std::nullopt;
    return ConntrackEvent{type, std::move(*entry)};
}

}  // namespace pathwhy
