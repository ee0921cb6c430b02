#include "kernel/conntrack_message.h"

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "kernel/netlink_attributes.h"

namespace pathwhy {
namespace {

std::optional<FlowTuple> decode_tuple(const nlattr* nest) {
    if (!nest) return std::nullopt;
    const NetlinkAttributes tuple = NetlinkAttributes::nested(*nest);
    const nlattr* ip_nest = tuple.find(CTA_TUPLE_IP);
    const nlattr* proto_nest = tuple.find(CTA_TUPLE_PROTO);
    if (!ip_nest || !proto_nest) return std::nullopt;
    const NetlinkAttributes ip = NetlinkAttributes::nested(*ip_nest);
    const NetlinkAttributes proto = NetlinkAttributes::nested(*proto_nest);
    auto source = ip.ipv4(CTA_IP_V4_SRC);
    auto destination = ip.ipv4(CTA_IP_V4_DST);
    auto number = proto.u8(CTA_PROTO_NUM);
    if (!source || !destination || !number) return std::nullopt;

    FlowTuple flow;
    flow.source = *source;
    flow.destination = *destination;
    flow.protocol = *number;
    if (*number == IPPROTO_ICMP) {
        flow.destination_port = proto.be16(CTA_PROTO_ICMP_ID).value_or(0);
    } else {
        flow.source_port = proto.be16(CTA_PROTO_SRC_PORT).value_or(0);
        flow.destination_port = proto.be16(CTA_PROTO_DST_PORT).value_or(0);
    }
    return flow;
}

std::optional<ConntrackCounters> decode_counters(const nlattr* nest) {
    if (!nest) return std::nullopt;
    const NetlinkAttributes counters = NetlinkAttributes::nested(*nest);
    auto packets = counters.be64(CTA_COUNTERS_PACKETS);
    auto bytes = counters.be64(CTA_COUNTERS_BYTES);
    if (!packets || !bytes) return std::nullopt;
    return ConntrackCounters{*packets, *bytes};
}

std::uint8_t decode_tcp_state(const nlattr* protoinfo) {
    if (!protoinfo) return 0;
    const nlattr* tcp = NetlinkAttributes::nested(*protoinfo).find(CTA_PROTOINFO_TCP);
    if (!tcp) return 0;
    return NetlinkAttributes::nested(*tcp).u8(CTA_PROTOINFO_TCP_STATE).value_or(0);
}

void put_tuple(nlmsghdr* message, const FlowTuple& flow) {
    nlattr* tuple = mnl_attr_nest_start(message, CTA_TUPLE_ORIG);
    nlattr* ip = mnl_attr_nest_start(message, CTA_TUPLE_IP);
    mnl_attr_put_u32(message, CTA_IP_V4_SRC, flow.source.network_order());
    mnl_attr_put_u32(message, CTA_IP_V4_DST, flow.destination.network_order());
    mnl_attr_nest_end(message, ip);
    nlattr* proto = mnl_attr_nest_start(message, CTA_TUPLE_PROTO);
    mnl_attr_put_u8(message, CTA_PROTO_NUM, flow.protocol);
    if (flow.protocol == IPPROTO_ICMP) {
        mnl_attr_put_u16(message, CTA_PROTO_ICMP_ID, htons(flow.destination_port));
    } else {
        mnl_attr_put_u16(message, CTA_PROTO_SRC_PORT, htons(flow.source_port));
        mnl_attr_put_u16(message, CTA_PROTO_DST_PORT, htons(flow.destination_port));
    }
    mnl_attr_nest_end(message, proto);
    mnl_attr_nest_end(message, tuple);
}

}  // namespace

std::uint16_t ctnetlink_message_type(std::uint8_t command) {
    return static_cast<std::uint16_t>((NFNL_SUBSYS_CTNETLINK << 8) | command);
}

std::optional<ConntrackEntry> decode_conntrack_message(const nlmsghdr& message) {
    const auto* header = family_header_of<nfgenmsg>(message);
    if (!header || header->nfgen_family != AF_INET) return std::nullopt;
    const NetlinkAttributes attributes(message, sizeof(nfgenmsg));
    auto original = decode_tuple(attributes.find(CTA_TUPLE_ORIG));
    auto reply = decode_tuple(attributes.find(CTA_TUPLE_REPLY));
    if (!original || !reply) return std::nullopt;

    ConntrackEntry entry;
    entry.original = *original;
    entry.reply = *reply;
    entry.id = attributes.be32(CTA_ID).value_or(0);
    entry.status = attributes.be32(CTA_STATUS).value_or(0);
    entry.timeout_seconds = attributes.be32(CTA_TIMEOUT).value_or(0);
    entry.mark = attributes.be32(CTA_MARK).value_or(0);
    entry.zone = attributes.be16(CTA_ZONE).value_or(0);
    entry.tcp_state = decode_tcp_state(attributes.find(CTA_PROTOINFO));
    entry.counters_original = decode_counters(attributes.find(CTA_COUNTERS_ORIG));
    entry.counters_reply = decode_counters(attributes.find(CTA_COUNTERS_REPLY));
    if (const nlattr* timestamp = attributes.find(CTA_TIMESTAMP))
        if (auto start = NetlinkAttributes::nested(*timestamp).be64(CTA_TIMESTAMP_START))
            entry.started_unix_ns = static_cast<std::int64_t>(*start);
    return entry;
}

std::vector<char> conntrack_delete_request(const ConntrackEntry& entry) {
    std::vector<char> buffer(MNL_SOCKET_BUFFER_SIZE);
    nlmsghdr* message = mnl_nlmsg_put_header(buffer.data());
    message->nlmsg_type = ctnetlink_message_type(IPCTNL_MSG_CT_DELETE);
    message->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    auto* header = static_cast<nfgenmsg*>(mnl_nlmsg_put_extra_header(message, sizeof(nfgenmsg)));
    header->nfgen_family = AF_INET;
    header->version = NFNETLINK_V0;
    header->res_id = 0;
    put_tuple(message, entry.original);
    if (entry.zone) mnl_attr_put_u16(message, CTA_ZONE, htons(entry.zone));
    if (entry.id) mnl_attr_put_u32(message, CTA_ID, htonl(entry.id));
    buffer.resize(message->nlmsg_len);
    return buffer;
}

}  // namespace pathwhy
