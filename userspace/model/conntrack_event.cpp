#include "model/conntrack_event.h"

#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <netinet/in.h>

namespace pathwhy {

bool ConntrackEvent::established() const {
    // ASSURED: the kernel saw the handshake complete, even if the flow has closed since.
    if (entry.original.protocol == IPPROTO_TCP)
        return (entry.status & IPS_ASSURED) || (entry.tcp_state >= TCP_CONNTRACK_ESTABLISHED &&
                                                entry.tcp_state <= TCP_CONNTRACK_TIME_WAIT);
    return entry.seen_reply();
}

std::string conntrack_event_type_name(ConntrackEvent::Type type) {
    switch (type) {
        case ConntrackEvent::Type::created: return "new";
        case ConntrackEvent::Type::updated: return "update";
        case ConntrackEvent::Type::destroyed: return "destroy";
    }
    return "update";
}

}  // namespace pathwhy
