// Route lookups on the real kernel (tp_btf/fib_table_lookup, and its raw_tp twin): the tracer
// reports the lookups of the watched namespace (table, chosen nexthop) and none of another's,
// and a lookup that fails.
#include <gtest/gtest.h>

#include "support/privileges.h"
#include "support/trace_lab.h"
#include "trace/kernel_features.h"
#include "trace/packet_tracer.h"

namespace pathwhy {
namespace {

using test::collect_until;
using test::describe;

constexpr const char* kDestination = "198.51.100.7";

// One namespace with a default route via 192.0.2.1 on a veth (this kernel has no dummy links).
std::unique_ptr<lab::LabNamespace> routed_namespace(const std::string& tag) {
    auto ns = std::make_unique<lab::LabNamespace>(test::trace_namespace_name(tag));
    ns->ip({"link", "add", "uplink", "type", "veth", "peer", "name", "uplink-end"});
    ns->ip({"link", "set", "uplink-end", "up"});
    ns->ip({"addr", "add", "192.0.2.10/24", "dev", "uplink"});
    ns->ip({"link", "set", "uplink", "up"});
    ns->ip({"route", "add", "default", "via", "192.0.2.1"});
    return ns;
}

PacketTraceFilter watching_destination(const lab::LabNamespace& ns) {
    return {ns.name(), {*Ipv4Cidr::parse(kDestination)}};
}

bool has_route_lookup(const std::vector<ObservedEvent>& events) {
    for (const auto& e : events)
        if (e.kind == ObservedEvent::Kind::route_lookup) return true;
    return false;
}

void expect_lookups_of(const lab::LabNamespace& watched, const std::vector<ObservedEvent>& seen) {
    ASSERT_TRUE(has_route_lookup(seen)) << "no route lookup from the watched namespace\n"
                                        << describe(seen);
    const int uplink = test::ifindex_in(watched, "uplink");
    bool answered_by_main = false;
    for (const auto& e : seen) {
        EXPECT_EQ(e.netns_inode, test::netns_inode_of(watched));
        EXPECT_EQ(e.packet.destination.str(), kDestination);
        if (e.table == 254 && e.lookup_error == 0) {
            answered_by_main = true;
            ASSERT_TRUE(e.gateway);
            EXPECT_EQ(e.gateway->str(), "192.0.2.1");
            EXPECT_EQ(e.nexthop_ifindex, uplink);
        }
    }
    EXPECT_TRUE(answered_by_main) << describe(seen);
}

TEST(TraceRouteLookup, SeesTheLookupsOfTheWatchedNamespaceOnly) {
    PATHWHY_REQUIRE_ROOT();
    auto watched = routed_namespace("fa");
    auto other = routed_namespace("fb");
    KernelFeatures features;
    PacketTracer tracer(features, watching_destination(*watched));

    other->ip({"route", "get", kDestination});
    watched->ip({"route", "get", kDestination});
    auto seen = collect_until(tracer, has_route_lookup);
    expect_lookups_of(*watched, seen);
    EXPECT_EQ(tracer.lost_events(), 0u);
}

TEST(TraceRouteLookup, ReportsAFailedLookup) {
    PATHWHY_REQUIRE_ROOT();
    auto ns = routed_namespace("fc");
    ns->ip({"route", "del", "default"});
    KernelFeatures features;
    PacketTracer tracer(features, watching_destination(*ns));
    EXPECT_FALSE(ns->exec({"ip", "route", "get", kDestination}).ok());  // "Network is unreachable"
    auto seen = collect_until(tracer, has_route_lookup);
    ASSERT_TRUE(has_route_lookup(seen));
    for (const auto& e : seen) EXPECT_NE(e.lookup_error, 0) << "table " << e.table;
}

// The raw_tp twins (kernels whose tracepoints have no BTF) on this kernel: forced by answers
// that deny tp_btf.
TEST(TraceRouteLookup, RawTracepointTwinSeesTheSame) {
    PATHWHY_REQUIRE_ROOT();
    KernelFeatures probed;
    FeatureAnswers answers = probed.answers();
    for (auto& [tracepoint, usable] : answers.tp_btf) usable = false;
    if (!answers.raw_tracepoint["fib_table_lookup"])
        GTEST_SKIP() << "this kernel has no raw tracepoint fib_table_lookup";
    KernelFeatures raw_only(answers);
    auto ns = routed_namespace("fd");
    PacketTracer tracer(raw_only, watching_destination(*ns));
    bool raw = false;
    for (const auto& a : tracer.attachments()) raw |= a.target == "raw_tp/fib_table_lookup";
    EXPECT_TRUE(raw) << "the raw_tp twin was not the one attached";

    ns->ip({"route", "get", kDestination});
    expect_lookups_of(*ns, collect_until(tracer, has_route_lookup));
}

}  // namespace
}  // namespace pathwhy
