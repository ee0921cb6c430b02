// The in-kernel filter: traffic whose source and destination are both outside the watched
// prefixes produces no event at all (every program returns before reserving), while a prefix
// matching only the source is enough to see a packet.
#include <gtest/gtest.h>

#include "support/privileges.h"
#include "support/trace_lab.h"
#include "trace/kernel_features.h"
#include "trace/packet_tracer.h"

namespace pathwhy {
namespace {

using test::describe;
using test::RoutedLab;

TEST(TraceFilter, UnwatchedTrafficProducesNoEvents) {
    PATHWHY_REQUIRE_ROOT();
    RoutedLab lab("fa");
    KernelFeatures features;
    // Nothing in the lab is in 10.99.0.0/16.
    PacketTracer tracer(features, {lab.router.name(), {*Ipv4Cidr::parse("10.99.0.0/16")}});

    ASSERT_TRUE(test::ping(lab.client, RoutedLab::kServer));
    ASSERT_TRUE(test::ping(lab.router, RoutedLab::kServer));
    test::send_udp(lab.client, RoutedLab::kServer, 9);  // answered by ICMP port unreachable
    lab.router.ip({"route", "get", RoutedLab::kServer});

    std::vector<ObservedEvent> seen;
    // The same traffic, watched, shows up within tens of milliseconds (the other tests): a
    // second of nothing is nothing.
    tracer.poll(std::chrono::seconds(1), [&](const ObservedEvent& e) { seen.push_back(e); });
    EXPECT_TRUE(seen.empty()) << describe(seen);
    EXPECT_EQ(tracer.lost_events(), 0u);
}

TEST(TraceFilter, AWatchedSourceIsEnough) {
    PATHWHY_REQUIRE_ROOT();
    RoutedLab lab("fb");
    // The forwarded packet is seen at FORWARD: under the nf_hook_slow fallbacks only a hook with
    // something registered runs, so it gets a rule.
    test::make_every_hook_run(lab.router);
    KernelFeatures features;
    PacketTracer tracer(features, {lab.router.name(), {*Ipv4Cidr::parse("10.71.1.0/24")}});
    for (const auto& status : tracer.views())
        if (status.view == KernelView::netfilter_verdicts && !status.active)
            GTEST_SKIP() << "no netfilter verdicts here: " << status.reason;

    test::send_udp(lab.client, RoutedLab::kServer, 9);
    auto forwarded = [](const std::vector<ObservedEvent>& events) {
        for (const auto& e : events)
            if (e.kind == ObservedEvent::Kind::netfilter && e.hook == NetfilterHook::forward)
                return true;
        return false;
    };
    auto seen = test::collect_until(tracer, forwarded);
    ASSERT_TRUE(forwarded(seen)) << describe(seen);
    for (const auto& e : seen) {
        if (e.kind == ObservedEvent::Kind::netfilter) {
            EXPECT_TRUE(e.packet.source.str() == RoutedLab::kClient ||
                        e.packet.destination.str() == RoutedLab::kClient)
                << describe({e});
        }
    }
}

}  // namespace
}  // namespace pathwhy
