#include "kernel/kernel_changes.h"

#include <linux/rtnetlink.h>

#include "kernel/rtnl_readers.h"

namespace pathwhy {
namespace {

template <typename Object>
std::optional<KernelChange> change_of(std::optional<Object> object, bool removed) {
    if (!object) return std::nullopt;
    return KernelChange{removed ? KernelChange::Action::removed : KernelChange::Action::updated,
                        std::move(*object)};
}

}  // namespace

std::vector<unsigned> kernel_change_groups() {
    return {RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV4_RULE,
            RTNLGRP_NEIGH};
}

std::optional<KernelChange> decode_kernel_change(const nlmsghdr& message) {
    switch (message.nlmsg_type) {
        case RTM_NEWLINK:
        case RTM_DELLINK:
            return change_of(decode_link(message), message.nlmsg_type == RTM_DELLINK);
        case RTM_NEWADDR:
        case RTM_DELADDR:
            return change_of(decode_address(message), message.nlmsg_type == RTM_DELADDR);
        case RTM_NEWROUTE:
        case RTM_DELROUTE:
            return change_of(decode_route(message), message.nlmsg_type == RTM_DELROUTE);
        case RTM_NEWRULE:
        case RTM_DELRULE:
            return change_of(decode_rule(message), message.nlmsg_type == RTM_DELRULE);
        case RTM_NEWNEIGH:
        case RTM_DELNEIGH:
            return change_of(decode_neighbour(message), message.nlmsg_type == RTM_DELNEIGH);
        default:
            return std::nullopt;
    }
}

}  // namespace pathwhy
