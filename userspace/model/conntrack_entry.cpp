#include "model/conntrack_entry.h"

#include <fmt/format.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <netinet/in.h>

#include <iterator>

#include "model/ip_protocol.h"

namespace pathwhy {

namespace {

std::string tuple_text(const FlowTuple& tuple) {
    std::string text = fmt::format("src={} dst={}", tuple.source.str(), tuple.destination.str());
    if (tuple.protocol == IPPROTO_TCP || tuple.protocol == IPPROTO_UDP)
        text += fmt::format(" sport={} dport={}", tuple.source_port, tuple.destination_port);
    return text;
}

}  // namespace

bool ConntrackEntry::seen_reply() const { return status & IPS_SEEN_REPLY; }

std::string tcp_conntrack_state_name(std::uint8_t state) {
    static constexpr const char* kNames[] = {"NONE",     "SYN_SENT",   "SYN_RECV", "ESTABLISHED",
                                             "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT",
                                             "CLOSE",    "SYN_SENT2"};
    return state < std::size(kNames) ? kNames[state] : "UNKNOWN";
}

std::vector<std::string> conntrack_status_names(std::uint32_t status) {
    static constexpr std::pair<std::uint32_t, const char*> kBits[] = {
        {IPS_EXPECTED, "EXPECTED"},
        {IPS_SEEN_REPLY, "SEEN_REPLY"},
        {IPS_ASSURED, "ASSURED"},
        {IPS_CONFIRMED, "CONFIRMED"},
        {IPS_SRC_NAT, "SRC_NAT"},
        {IPS_DST_NAT, "DST_NAT"},
        {IPS_SEQ_ADJUST, "SEQ_ADJUST"},
        {IPS_DYING, "DYING"},
        {IPS_FIXED_TIMEOUT, "FIXED_TIMEOUT"},
        {IPS_OFFLOAD, "OFFLOAD"},
        {IPS_HW_OFFLOAD, "HW_OFFLOAD"},
    };
    std::vector<std::string> names;
    for (const auto& [bit, name] : kBits)
        if (status & bit) names.emplace_back(name);
    return names;
}

std::string describe_conntrack_entry(const ConntrackEntry& entry) {
    const std::uint8_t protocol = entry.original.protocol;
    std::string text =
        fmt::format("{} {} {}", ip_protocol_name(protocol), protocol, entry.timeout_seconds);
    if (protocol == IPPROTO_TCP) text += " " + tcp_conntrack_state_name(entry.tcp_state);
    text += " " + tuple_text(entry.original);
    if (!entry.seen_reply()) text += " [UNREPLIED]";
    text += " " + tuple_text(entry.reply);
    if (entry.status & IPS_ASSURED) text += " [ASSURED]";
    text += fmt::format(" mark={}", entry.mark);
    if (entry.zone) text += fmt::format(" zone={}", entry.zone);
    return text;
}

}  // namespace pathwhy
