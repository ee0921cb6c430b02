// One entry of the kernel's connection tracking table, as `conntrack -L` lists it: the original
// tuple (how the flow's first packet came in) and the reply tuple (what a reply must look like),
// whose difference is the NAT the kernel applies to every later packet of the flow. Filled by
// kernel/ over ctnetlink, by tests from `conntrack -L -o extended` captures; read by the explainer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/observed_event.h"

namespace pathwhy {

struct ConntrackCounters {
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0;
};

struct ConntrackEntry {
    std::uint32_t id = 0;  // CTA_ID: tells this entry from a later one with the same tuples
    FlowTuple original;
    FlowTuple reply;
    std::uint32_t status = 0;           // IPS_* bits (ASSURED, SEEN_REPLY, SRC_NAT, DST_NAT ...)
    std::uint8_t tcp_state = 0;         // TCP_CONNTRACK_*; 0 for other protocols
    std::uint32_t timeout_seconds = 0;  // left before it expires, unless a packet refreshes it
    std::uint32_t mark = 0;
    std::uint16_t zone = 0;
    // Only when the namespace has net.netfilter.nf_conntrack_acct=1.
    std::optional<ConntrackCounters> counters_original, counters_reply;
    // Only when it has net.netfilter.nf_conntrack_timestamp=1: creation, wall clock.
    std::optional<std::int64_t> started_unix_ns;

    // The reply comes from somewhere other than where the first packet was sent: DNAT (or a
    // port redirect). Read from the tuples rather than IPS_DST_NAT, so that captures of
    // `conntrack -L`, which prints no NAT bits, read the same.
    bool destination_translated() const {
        return reply.source != original.destination ||
               reply.source_port != original.destination_port;
    }
    bool seen_reply() const;
};

// A namespace's conntrack table as read for one diagnosis.
struct ConntrackTable {
    std::string error;  // why it could not be read; empty when it was
    std::vector<ConntrackEntry> entries;
};

// "SYN_SENT", "ESTABLISHED", ... as conntrack(8) prints TCP_CONNTRACK_* states.
std::string tcp_conntrack_state_name(std::uint8_t state);
// The IPS_* bits by their conntrack(8) names: "ASSURED", "SEEN_REPLY", "DST_NAT", ...
std::vector<std::string> conntrack_status_names(std::uint32_t status);
// The entry as `conntrack -L` prints it, so that it can be compared with what users see:
// "udp 17 29 src=172.18.2.129 dst=172.18.2.172 sport=40000 dport=8888 [UNREPLIED] src=... mark=0"
// (protocol, number, timeout, TCP state, original tuple, flags, reply tuple, mark, zone).
std::string describe_conntrack_entry(const ConntrackEntry& entry);

}  // namespace pathwhy
