// IPv4 policy rules (RTM_GETRULE): selectors and actions as `ip rule` lists them, in the kernel's
// evaluation order.
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "kernel/netlink_attributes.h"
#include "kernel/rtnl_readers.h"

namespace pathwhy {

namespace {

RuleAction rule_action_of(std::uint8_t action) {
    switch (action) {
        case FR_ACT_TO_TBL:
            return RuleAction::to_table;
        case FR_ACT_GOTO:
            return RuleAction::goto_rule;
        case FR_ACT_NOP:
            return RuleAction::nop;
        case FR_ACT_BLACKHOLE:
            return RuleAction::blackhole;
        case FR_ACT_UNREACHABLE:
            return RuleAction::unreachable;
        case FR_ACT_PROHIBIT:
            return RuleAction::prohibit;
        default:
            return RuleAction::other;
    }
}

// A "from"/"to" selector: the header gives its length, the attribute its address; length 0 is
// "all", which the model spells nullopt.
std::optional<Ipv4Cidr> prefix_selector(const NetlinkAttributes& attributes, std::uint16_t type,
                                        std::uint8_t length) {
    if (length == 0) return std::nullopt;
    return Ipv4Cidr{attributes.ipv4(type).value_or(Ipv4Address{}), length};
}

}  // namespace

std::optional<Rule> decode_rule(const nlmsghdr& message) {
    const auto* header = family_header_of<fib_rule_hdr>(message);
    if (!header || header->family != AF_INET) return std::nullopt;
    NetlinkAttributes attributes(message, sizeof(fib_rule_hdr));

    Rule rule;
    // The kernel leaves FRA_PRIORITY out for priority 0 (the local-table rule).
    rule.priority = attributes.u32(FRA_PRIORITY).value_or(0);
    rule.action = rule_action_of(header->action);
    rule.table = attributes.u32(FRA_TABLE).value_or(header->table);
    rule.invert = header->flags & FIB_RULE_INVERT;
    rule.source = prefix_selector(attributes, FRA_SRC, header->src_len);
    rule.destination = prefix_selector(attributes, FRA_DST, header->dst_len);
    rule.fwmark = attributes.u32(FRA_FWMARK).value_or(0);
    rule.fwmask = attributes.u32(FRA_FWMASK).value_or(0);
    rule.iif = attributes.string(FRA_IIFNAME).value_or("");
    rule.oif = attributes.string(FRA_OIFNAME).value_or("");
    rule.tos = header->tos;
    // The kernel always sends FRA_SUPPRESS_PREFIXLEN, with -1 (0xffffffff) meaning "not set".
    auto suppress = attributes.u32(FRA_SUPPRESS_PREFIXLEN);
    if (suppress && *suppress != 0xffffffffu) rule.suppress_prefixlength = *suppress;
    if (auto protocol = attributes.u8(FRA_IP_PROTO); protocol && *protocol)
        rule.ip_proto = protocol;
    rule.goto_target = attributes.u32(FRA_GOTO).value_or(0);
    return rule;
}

std::vector<Rule> read_rules(NetlinkSocket& socket) {
    fib_rule_hdr request{};
    request.family = AF_INET;
    return dump_objects(socket, RTM_GETRULE, request, decode_rule, "list IPv4 policy rules");
}

}  // namespace pathwhy
