// A failed ARP on a bridge, as in seed 000: a connect to an address on a bridge where nobody
// answers ends, after about 3 s, with the neighbour going INCOMPLETE -> FAILED, the kernel
// sending ICMP host unreachable (type 3 code 1) about the SYN, and the queued SYN dropped as
// NEIGH_FAILED — which is why connect() says "No route to host".
#include <gtest/gtest.h>

#include <cerrno>

#include "support/privileges.h"
#include "support/trace_lab.h"
#include "trace/kernel_features.h"
#include "trace/packet_tracer.h"

namespace pathwhy {
namespace {

using test::collect_until;
using test::describe;

constexpr std::uint16_t kNudIncomplete = 0x01;
constexpr std::uint16_t kNudFailed = 0x20;
constexpr const char* kAbsentHost = "10.72.0.9";

TEST(TraceNeighbour, FailedArpOnABridgeIsHostUnreachable) {
    PATHWHY_REQUIRE_ROOT();
    lab::LabNamespace ns(test::trace_namespace_name("ga"));
    ns.ip({"link", "add", "br0", "type", "bridge"});
    // A port gives the bridge a carrier; nothing on its other end answers ARP.
    ns.ip({"link", "add", "port0", "type", "veth", "peer", "name", "port0-end"});
    ns.ip({"link", "set", "port0", "master", "br0"});
    ns.ip({"link", "set", "port0", "up"});
    ns.ip({"link", "set", "port0-end", "up"});
    ns.ip({"addr", "add", "10.72.0.1/24", "dev", "br0"});
    ns.ip({"link", "set", "br0", "up"});

    KernelFeatures features;
    PacketTracer tracer(features, {ns.name(), {*Ipv4Cidr::parse(kAbsentHost)}});
    for (const auto& status : tracer.views())
        if ((status.view == KernelView::neighbours || status.view == KernelView::icmp) &&
            !status.active)
            GTEST_SKIP() << kernel_view_name(status.view) << " not seen here: " << status.reason;

    EXPECT_EQ(test::connect_tcp(ns, kAbsentHost, 80, std::chrono::seconds(8)), EHOSTUNREACH);

    auto failed = [](const std::vector<ObservedEvent>& events) {
        for (const auto& e : events)
            if (e.kind == ObservedEvent::Kind::neighbour && e.new_state == kNudFailed) return true;
        return false;
    };
    auto seen = collect_until(tracer, failed);
    const int br0 = test::ifindex_in(ns, "br0");
    bool incomplete = false, failed_after_incomplete = false, host_unreachable = false,
         neigh_failed_drop = false;
    for (const auto& e : seen) {
        EXPECT_EQ(e.netns_inode, test::netns_inode_of(ns));
        switch (e.kind) {
            case ObservedEvent::Kind::neighbour:
                EXPECT_EQ(e.neighbour.str(), kAbsentHost);
                EXPECT_EQ(e.out_ifindex, br0);
                incomplete |= e.new_state == kNudIncomplete;
                failed_after_incomplete |=
                    e.old_state == kNudIncomplete && e.new_state == kNudFailed;
                break;
            case ObservedEvent::Kind::icmp_error:
                host_unreachable |= e.icmp_type == 3 && e.icmp_code == 1 &&
                                    e.packet.destination.str() == kAbsentHost &&
                                    e.packet.protocol == 6 && e.packet.destination_port == 80;
                break;
            case ObservedEvent::Kind::drop:
                neigh_failed_drop |= e.drop_reason_name == "NEIGH_FAILED";
                break;
            default:
                break;
        }
    }
    EXPECT_TRUE(incomplete) << describe(seen);
    EXPECT_TRUE(failed_after_incomplete) << describe(seen);
    EXPECT_TRUE(host_unreachable) << describe(seen);
    EXPECT_TRUE(neigh_failed_drop) << describe(seen);
}

}  // namespace
}  // namespace pathwhy
