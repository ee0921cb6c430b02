// The conntrack model and its ctnetlink coding: a message as the kernel sends it in a dump
// decodes into both tuples, status, TCP state, timeout, zone, counters and timestamp; the delete
// request names exactly one entry (tuple, zone, id); entries print as `conntrack -L` does; the
// reader's filter keeps what a diagnosis asks for.
#include <endian.h>
#include <gtest/gtest.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <vector>

#include "kernel/conntrack_message.h"
#include "kernel/conntrack_table.h"
#include "kernel/netlink_attributes.h"
#include "support/conntrack_fixture.h"
#include "support/seed_fixture.h"

namespace pathwhy {
namespace {

Ipv4Address ip(const char* text) { return *Ipv4Address::parse(text); }

void put_tuple(nlmsghdr* message, std::uint16_t type, const char* src, const char* dst,
               std::uint8_t protocol, std::uint16_t sport, std::uint16_t dport) {
    nlattr* tuple = mnl_attr_nest_start(message, type);
    nlattr* addresses = mnl_attr_nest_start(message, CTA_TUPLE_IP);
    mnl_attr_put_u32(message, CTA_IP_V4_SRC, ip(src).network_order());
    mnl_attr_put_u32(message, CTA_IP_V4_DST, ip(dst).network_order());
    mnl_attr_nest_end(message, addresses);
    nlattr* ports = mnl_attr_nest_start(message, CTA_TUPLE_PROTO);
    mnl_attr_put_u8(message, CTA_PROTO_NUM, protocol);
    mnl_attr_put_u16(message, CTA_PROTO_SRC_PORT, htons(sport));
    mnl_attr_put_u16(message, CTA_PROTO_DST_PORT, htons(dport));
    mnl_attr_nest_end(message, ports);
    mnl_attr_nest_end(message, tuple);
}

// What the kernel sends for seed 003's held entry, with acct and timestamps on, in zone 3.
std::vector<char> held_entry_message(std::uint8_t family = AF_INET) {
    std::vector<char> buffer(MNL_SOCKET_BUFFER_SIZE);
    nlmsghdr* message = mnl_nlmsg_put_header(buffer.data());
    message->nlmsg_type = ctnetlink_message_type(IPCTNL_MSG_CT_NEW);
    auto* header = static_cast<nfgenmsg*>(mnl_nlmsg_put_extra_header(message, sizeof(nfgenmsg)));
    header->nfgen_family = family;
    put_tuple(message, CTA_TUPLE_ORIG, "172.18.2.129", "172.18.2.172", IPPROTO_UDP, 40000, 8888);
    put_tuple(message, CTA_TUPLE_REPLY, "172.17.0.2", "172.18.2.129", IPPROTO_UDP, 8888, 40000);
    mnl_attr_put_u32(message, CTA_STATUS,
                     htonl(IPS_SEEN_REPLY | IPS_ASSURED | IPS_CONFIRMED | IPS_DST_NAT));
    mnl_attr_put_u32(message, CTA_TIMEOUT, htonl(119));
    mnl_attr_put_u32(message, CTA_MARK, htonl(7));
    mnl_attr_put_u32(message, CTA_ID, htonl(2991861259u));
    mnl_attr_put_u16(message, CTA_ZONE, htons(3));
    nlattr* counters = mnl_attr_nest_start(message, CTA_COUNTERS_ORIG);
    mnl_attr_put_u64(message, CTA_COUNTERS_PACKETS, htobe64(280));
    mnl_attr_put_u64(message, CTA_COUNTERS_BYTES, htobe64(9520));
    mnl_attr_nest_end(message, counters);
    nlattr* timestamp = mnl_attr_nest_start(message, CTA_TIMESTAMP);
    mnl_attr_put_u64(message, CTA_TIMESTAMP_START, htobe64(1795371825160529390ull));
    mnl_attr_nest_end(message, timestamp);
    buffer.resize(message->nlmsg_len);
    return buffer;
}

TEST(ConntrackMessage, DecodesWhatTheKernelSends) {
    const auto bytes = held_entry_message();
    auto entry = decode_conntrack_message(*reinterpret_cast<const nlmsghdr*>(bytes.data()));
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->original.source, ip("172.18.2.129"));
    EXPECT_EQ(entry->original.destination, ip("172.18.2.172"));
    EXPECT_EQ(entry->original.source_port, 40000);
    EXPECT_EQ(entry->original.destination_port, 8888);
    EXPECT_EQ(entry->original.protocol, IPPROTO_UDP);
    EXPECT_EQ(entry->reply.source, ip("172.17.0.2"));
    EXPECT_TRUE(entry->destination_translated());
    EXPECT_TRUE(entry->seen_reply());
    EXPECT_EQ(entry->timeout_seconds, 119u);
    EXPECT_EQ(entry->mark, 7u);
    EXPECT_EQ(entry->id, 2991861259u);
    EXPECT_EQ(entry->zone, 3);
    ASSERT_TRUE(entry->counters_original);
    EXPECT_EQ(entry->counters_original->packets, 280u);
    EXPECT_EQ(entry->counters_original->bytes, 9520u);
    EXPECT_FALSE(entry->counters_reply);
    EXPECT_EQ(entry->started_unix_ns, 1795371825160529390ll);
    EXPECT_EQ(conntrack_status_names(entry->status),
              (std::vector<std::string>{"SEEN_REPLY", "ASSURED", "CONFIRMED", "DST_NAT"}));
}

TEST(ConntrackMessage, IgnoresOtherFamiliesAndTruncatedMessages) {
    const auto ipv6 = held_entry_message(AF_INET6);
    EXPECT_FALSE(decode_conntrack_message(*reinterpret_cast<const nlmsghdr*>(ipv6.data())));
    std::vector<char> header_only(MNL_SOCKET_BUFFER_SIZE);
    nlmsghdr* message = mnl_nlmsg_put_header(header_only.data());
    mnl_nlmsg_put_extra_header(message, sizeof(nfgenmsg));
    static_cast<nfgenmsg*>(mnl_nlmsg_get_payload(message))->nfgen_family = AF_INET;
    EXPECT_FALSE(decode_conntrack_message(*message)) << "no tuples";
}

TEST(ConntrackMessage, TheDeleteRequestNamesOneEntryByTupleZoneAndId) {
    const auto bytes = held_entry_message();
    const ConntrackEntry entry =
        *decode_conntrack_message(*reinterpret_cast<const nlmsghdr*>(bytes.data()));
    std::vector<char> request = conntrack_delete_request(entry);
    const auto* message = reinterpret_cast<const nlmsghdr*>(request.data());
    EXPECT_EQ(message->nlmsg_type, (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE);
    EXPECT_EQ(message->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
    EXPECT_EQ(message->nlmsg_len, request.size());
    NetlinkAttributes attributes(*message, sizeof(nfgenmsg));
    EXPECT_EQ(attributes.be16(CTA_ZONE), 3);
    EXPECT_EQ(attributes.be32(CTA_ID), 2991861259u);
    EXPECT_FALSE(attributes.has(CTA_TUPLE_REPLY)) << "the original tuple names it";
    const NetlinkAttributes tuple = NetlinkAttributes::nested(*attributes.find(CTA_TUPLE_ORIG));
    const NetlinkAttributes ports = NetlinkAttributes::nested(*tuple.find(CTA_TUPLE_PROTO));
    EXPECT_EQ(ports.be16(CTA_PROTO_SRC_PORT), 40000);
    EXPECT_EQ(ports.be16(CTA_PROTO_DST_PORT), 8888);
    EXPECT_EQ(NetlinkAttributes::nested(*tuple.find(CTA_TUPLE_IP)).ipv4(CTA_IP_V4_SRC),
              ip("172.18.2.129"));
}

TEST(ConntrackEntry, PrintsAsConntrackListsIt) {
    const auto entries = test::conntrack_entries_from_listing(
        test::read_fixture("conntrack/seed003_gap/conntrack_L.txt"), 0);
    auto stream = std::find_if(entries.begin(), entries.end(), [](const ConntrackEntry& e) {
        return e.original.destination_port == 8888;
    });
    ASSERT_NE(stream, entries.end());
    EXPECT_EQ(describe_conntrack_entry(*stream),
              "udp 17 29 src=172.18.2.129 dst=172.18.2.172 sport=40000 dport=8888 [UNREPLIED] "
              "src=172.18.2.172 dst=172.18.2.129 sport=8888 dport=40000 mark=0");
    ConntrackEntry tcp;
    tcp.original = {ip("10.0.0.1"), ip("10.0.0.2"), IPPROTO_TCP, 40000, 80};
    tcp.reply = {ip("10.0.0.2"), ip("10.0.0.1"), IPPROTO_TCP, 80, 40000};
    tcp.status = IPS_SEEN_REPLY | IPS_ASSURED;
    tcp.tcp_state = TCP_CONNTRACK_ESTABLISHED;
    tcp.timeout_seconds = 431999;
    tcp.zone = 3;
    EXPECT_EQ(describe_conntrack_entry(tcp),
              "tcp 6 431999 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=40000 dport=80 "
              "src=10.0.0.2 dst=10.0.0.1 sport=80 dport=40000 [ASSURED] mark=0 zone=3");
    EXPECT_FALSE(tcp.destination_translated());
}

TEST(ConntrackFilter, KeepsEntriesTouchingTheAddressOrPort) {
    const auto entries = test::conntrack_entries_from_listing(
        test::read_fixture("conntrack/seed003_gap_proxy/conntrack_L.txt"), 0);
    auto count = [&](const ConntrackFilter& filter) {
        return std::count_if(entries.begin(), entries.end(),
                             [&](const ConntrackEntry& e) { return filter.matches(e); });
    };
    EXPECT_EQ(count({}), static_cast<long>(entries.size()));
    EXPECT_EQ(count({std::nullopt, {8888}, IPPROTO_UDP}), 2);  // the stream and docker-proxy's
    EXPECT_EQ(count({ip("172.18.2.129"), {}, std::nullopt}), 1);
    EXPECT_EQ(count({ip("172.18.0.2"), {}, std::nullopt}), 1) << "as the reply's source";
    EXPECT_EQ(count({std::nullopt, {8888}, IPPROTO_TCP}), 0);
}

}  // namespace
}  // namespace pathwhy
