// A failed ARP on a bridge, as in seed 000: a connect to an address on a bridge where nobody
// answers ends, after about 3 s, with the neighbour going INCOMPLETE -> FAILED, the kernel
// sending ICMP host unreachable (type 3 code 1) about the SYN, and the queued SYN dropped as
// NEIGH_FAILED — which is why connect() says "No route to host". Once through the tp_btf
// programs and once through their raw_tp twins (tp_btf refused with PATHWHY_TEST_REFUSE); the
// ICMP and drop parts are checked where the kernel gives those views (icmp_send is 6.13+, drop
// reasons 5.17+), and the test is skipped, with the reason, where it has no neighbour view.
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

struct Twins {
    std::string name;
    std::string refused;  // PATHWHY_TEST_REFUSE
    std::string attach;   // what every tracepoint program must be attached as
};

void PrintTo(const Twins& twins, std::ostream* out) { *out << twins.name; }

class TraceNeighbour : public ::testing::TestWithParam<Twins> {};

bool active(const PacketTracer& tracer, KernelView view) {
    for (const auto& status : tracer.views())
        if (status.view == view) return status.active;
    return false;
}

TEST_P(TraceNeighbour, FailedArpOnABridgeIsHostUnreachable) {
    PATHWHY_REQUIRE_ROOT();
    test::RefusedMechanisms refused(GetParam().refused);
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
        if (status.view == KernelView::neighbours && !status.active)
            GTEST_SKIP() << "neighbours not seen here: " << status.reason;
    for (const auto& attachment : tracer.attachments())
        if (attachment.target.find("/neigh_") != std::string::npos ||
            attachment.target.find("/kfree_skb") != std::string::npos ||
            attachment.target.find("/icmp_send") != std::string::npos) {
            EXPECT_EQ(attachment.target.substr(0, attachment.target.find('/')), GetParam().attach)
                << attachment.target;
        }
    const bool icmp_seen = active(tracer, KernelView::icmp);
    const bool drops_seen = active(tracer, KernelView::drops);

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
    if (icmp_seen) {
        EXPECT_TRUE(host_unreachable) << describe(seen);
    }
    if (drops_seen) {
        EXPECT_TRUE(neigh_failed_drop) << describe(seen);
    }
}

INSTANTIATE_TEST_SUITE_P(Twins, TraceNeighbour,
                         ::testing::Values(Twins{"TpBtf", "", "tp_btf"},
                                           Twins{"RawTp", "tp_btf", "raw_tp"}),
                         [](const ::testing::TestParamInfo<Twins>& info) {
                             return info.param.name;
                         });

}  // namespace
}  // namespace pathwhy
