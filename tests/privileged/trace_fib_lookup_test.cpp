// tp_btf/fib_table_lookup on the real kernel: the program loads, attaches, and reports the
// lookups of one lab namespace (tables, chosen nexthop) and none of another's.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <vector>

#include "lab/netns.h"
#include "support/privileges.h"
#include "trace/fib_lookup_tracer.h"

namespace pathwhy {
namespace {

std::uint32_t namespace_inode(const lab::LabNamespace& ns) {
    struct stat st{};
    EXPECT_EQ(stat(ns.path().c_str(), &st), 0);
    return static_cast<std::uint32_t>(st.st_ino);
}

std::unique_ptr<lab::LabNamespace> routed_namespace(const std::string& suffix) {
    auto ns = std::make_unique<lab::LabNamespace>("pw" + std::to_string(getpid()) + suffix);
    ns->ip({"link", "set", "lo", "up"});
    ns->ip({"link", "add", "uplink", "type", "veth", "peer", "name", "uplink-end"});
    ns->ip({"link", "set", "uplink-end", "up"});  // this kernel has no dummy links
    ns->ip({"addr", "add", "192.0.2.10/24", "dev", "uplink"});
    ns->ip({"link", "set", "uplink", "up"});
    ns->ip({"route", "add", "default", "via", "192.0.2.1"});
    return ns;
}

std::vector<FibLookup> collect(FibLookupTracer& tracer) {
    std::vector<FibLookup> seen;
    while (tracer.poll(std::chrono::milliseconds(200), [&](const FibLookup& l) { seen.push_back(l); }) > 0) {
    }
    return seen;
}

TEST(FibLookupTracer, SeesTheLookupsOfTheWatchedNamespaceOnly) {
    PATHWHY_REQUIRE_ROOT();
    auto watched = routed_namespace("fa");
    auto other = routed_namespace("fb");
    const auto destination = *Ipv4Address::parse("198.51.100.7");
    FibLookupTracer tracer({namespace_inode(*watched), destination});

    other->ip({"route", "get", destination.str()});
    watched->ip({"route", "get", destination.str()});
    std::vector<FibLookup> seen = collect(tracer);

    ASSERT_FALSE(seen.empty()) << "no fib_table_lookup event from the watched namespace";
    // "7: uplink@uplink-end: <...>": /sys would show the test's own namespace, not the lab's.
    const int uplink = std::stoi(watched->ip({"-o", "link", "show", "uplink"}));
    bool answered_by_main = false;
    for (const auto& lookup : seen) {
        EXPECT_EQ(lookup.netns_inode, namespace_inode(*watched));
        EXPECT_EQ(lookup.destination, destination);
        if (lookup.table == 254 && lookup.error == 0) {
            answered_by_main = true;
            ASSERT_TRUE(lookup.gateway);
            EXPECT_EQ(lookup.gateway->str(), "192.0.2.1");
            EXPECT_EQ(lookup.nexthop_ifindex, uplink);
        }
    }
    EXPECT_TRUE(answered_by_main) << seen.size() << " lookups, none answered by table main";
    EXPECT_EQ(tracer.lost_events(), 0u);
}

TEST(FibLookupTracer, ReportsAFailedLookup) {
    PATHWHY_REQUIRE_ROOT();
    auto ns = routed_namespace("fc");
    ns->ip({"route", "del", "default"});
    const auto destination = *Ipv4Address::parse("198.51.100.8");
    FibLookupTracer tracer({namespace_inode(*ns), destination});
    auto result = ns->exec({"ip", "route", "get", destination.str()});
    EXPECT_FALSE(result.ok());  // "Network is unreachable"
    std::vector<FibLookup> seen = collect(tracer);
    ASSERT_FALSE(seen.empty());
    for (const auto& lookup : seen) EXPECT_NE(lookup.error, 0) << "table " << lookup.table;
}

}  // namespace
}  // namespace pathwhy
