// When a packet seen entering a netfilter hook and not leaving it is a drop: critical only when
// the kernel confirms it (kfree_skb with NETFILTER_DROP for the same skb), a warning that says why
// when the drops view is missing, and no drop at all when the drops view saw nothing, when events
// were lost, or when the entry comes in the last second before the tracer stopped.
#include <gtest/gtest.h>

#include <algorithm>

#include "explain/explainer.h"
#include "support/observed_events.h"
#include "support/seed_fixture.h"

namespace pathwhy {
namespace {

using namespace test;
using H = NetfilterHook;
using E = HookEdge;
using Cause = UnfinishedPacket::Cause;

const Ipv4Address kContainer = *Ipv4Address::parse("192.168.0.2");
const FlowTuple kSyn = tcp("172.18.2.129", 40000, "192.168.0.2", 5432);
constexpr int kUplink = 2, kLan = 4;

// A SYN from the peer into FORWARD, at 0 µs, then whatever `after` holds.
Observation forwarded(std::vector<ObservedEvent> after, KernelViews views = all_views()) {
    Observation observation;
    observation.mode = Observation::Mode::watch;
    observation.watch_seconds = 10;
    observation.views = std::move(views);
    observation.events = {hook(0, 0x5, H::prerouting, E::entry, kSyn, kUplink, 0),
                          hook(1, 0x5, H::prerouting, E::exit, kSyn, kUplink, 0, kCtNew),
                          hook(2, 0x5, H::forward, E::entry, kSyn, kUplink, kLan, kCtNew)};
    for (auto& event : after) observation.events.push_back(std::move(event));
    return observation;
}

KernelViews without_drops_view() {
    return views_without(KernelView::drops,
                         "kernel 5.10 has no drop reasons (skb:kfree_skb gained them in 5.17)");
}

// Ends the observation `ms` after the SYN's FORWARD entry, as the tracer's stop.
Observation stopped_after(Observation observation, std::uint64_t ms) {
    observation.events_end_ns = observation.events[2].timestamp_ns + ms * 1'000'000;
    observation.tracer_stopped = true;
    return observation;
}

const Finding* netfilter_drop(const Diagnosis& d) {
    for (const auto& f : d.findings)
        if (f.kind == "netfilter-drop") return &f;
    return nullptr;
}

bool noted(const Diagnosis& d, const std::string& needle) {
    return std::any_of(d.notes.begin(), d.notes.end(),
                       [&](const std::string& n) { return n.find(needle) != std::string::npos; });
}

std::vector<Cause> causes(const Diagnosis& d) {
    std::vector<Cause> out;
    for (const auto& packet : d.trace->unfinished) out.push_back(packet.cause);
    return out;
}

TEST(NetfilterDropEvidence, AKfreeSkbWithNetfilterDropConfirmsTheDrop) {
    const Diagnosis d = explain_destination(
        two_lans_snapshot(), kContainer,
        forwarded({drop(3, 0x5, kSyn, "NETFILTER_DROP", "nf_hook_slow+0x9c", kLan)}));
    EXPECT_EQ(d.verdict, Verdict::dropped);
    const Finding* found = netfilter_drop(d);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->severity, Severity::critical);
    EXPECT_TRUE(found->drop->confirmed);
    EXPECT_EQ(found->drop->unconfirmed_because, "");
    EXPECT_EQ(found->drop->reason, "NETFILTER_DROP");
    EXPECT_EQ(found->drop->hook, "FORWARD");
    EXPECT_TRUE(d.trace->unfinished.empty());
    // The kfree_skb is the netfilter drop's own evidence, not a second finding.
    EXPECT_TRUE(std::none_of(d.findings.begin(), d.findings.end(),
                             [](const Finding& f) { return f.kind == "kernel-drop"; }));
}

TEST(NetfilterDropEvidence, AConfirmedDropStandsEvenInTheTracersLastSecond) {
    const Diagnosis d = explain_destination(
        two_lans_snapshot(), kContainer,
        stopped_after(forwarded({drop(3, 0x5, kSyn, "NETFILTER_DROP", "nf_hook_slow+0x9c")}), 10));
    const Finding* found = netfilter_drop(d);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->severity, Severity::critical);
}

TEST(NetfilterDropEvidence, RewrittenInsideTheHookThenDroppedIsStillConfirmed) {
    // DNAT in OUTPUT's nat table, then a filter rule drops it: the kfree_skb shows the new
    // destination, the entry the old one.
    const FlowTuple sent = tcp("172.18.2.172", 41000, "172.18.2.172", 8080);
    const FlowTuple dnat = tcp("172.18.2.172", 41000, "192.168.0.2", 80);
    Observation observation;
    observation.views = all_views();
    observation.events = {hook(0, 0x9, H::local_out, E::entry, sent, 0, 1),
                          drop(1, 0x9, dnat, "NETFILTER_DROP", "nf_hook_slow+0x9c")};
    const Diagnosis d = explain_destination(two_lans_snapshot(), kContainer, observation);
    ASSERT_EQ(d.observed.packets.size(), 1u);
    const Finding* found = netfilter_drop(d);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->drop->hook, "OUTPUT");
    EXPECT_TRUE(found->drop->confirmed);
}

TEST(NetfilterDropEvidence, WithTheDropsViewActiveAMissingExitAloneIsNoDrop) {
    const Diagnosis d = explain_destination(two_lans_snapshot(), kContainer, forwarded({}));
    EXPECT_EQ(d.verdict, Verdict::ok);
    EXPECT_EQ(netfilter_drop(d), nullptr);
    EXPECT_EQ(causes(d), std::vector<Cause>{Cause::not_freed});
    EXPECT_EQ(d.trace->unfinished[0].hook, "FORWARD");
    EXPECT_EQ(d.trace->unfinished[0].packet_id, 0x5u);
    EXPECT_TRUE(noted(d,
                      "1 packet seen entering a netfilter hook and not leaving it is not "
                      "counted as drops"));
    EXPECT_TRUE(noted(d, "1 that the kernel never freed as dropped"));
}

TEST(NetfilterDropEvidence, WithoutTheDropsViewItIsAnUnconfirmedWarningThatSaysWhy) {
    const Diagnosis d =
        explain_destination(two_lans_snapshot(), kContainer, forwarded({}, without_drops_view()));
    EXPECT_EQ(d.verdict, Verdict::ok) << "a warning does not decide the verdict";
    const Finding* found = netfilter_drop(d);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->severity, Severity::warning);
    EXPECT_FALSE(found->drop->confirmed);
    EXPECT_EQ(found->drop->unconfirmed_because,
              "the drops view (skb:kfree_skb) is missing: kernel 5.10 has no drop reasons "
              "(skb:kfree_skb gained them in 5.17)");
    EXPECT_NE(found->summary.find("probably dropped (unconfirmed) in the FORWARD hook"),
              std::string::npos)
        << found->summary;
    EXPECT_TRUE(std::any_of(found->evidence.begin(), found->evidence.end(), [](const auto& line) {
        return line.find("unconfirmed: no drop of it was seen because the drops view") == 0;
    }));
    EXPECT_TRUE(d.trace->unfinished.empty());
}

TEST(NetfilterDropEvidence, TheTracersLastSecondIsNoDropEvenWithoutTheDropsView) {
    const Diagnosis d = explain_destination(
        two_lans_snapshot(), kContainer, stopped_after(forwarded({}, without_drops_view()), 900));
    EXPECT_EQ(netfilter_drop(d), nullptr);
    EXPECT_EQ(causes(d), std::vector<Cause>{Cause::tracer_stopped});
    EXPECT_TRUE(noted(d, "1 in the tracer's last second"));
}

TEST(NetfilterDropEvidence, MoreThanASecondBeforeTheStopItIsJudged) {
    const Diagnosis d = explain_destination(
        two_lans_snapshot(), kContainer, stopped_after(forwarded({}, without_drops_view()), 1500));
    const Finding* found = netfilter_drop(d);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->severity, Severity::warning);
}

TEST(NetfilterDropEvidence, TheEndOfAnIncrementalLookIsJudgedLaterAndNotTold) {
    Observation observation = stopped_after(forwarded({}, without_drops_view()), 200);
    observation.tracer_stopped = false;
    const Diagnosis d = explain_destination(two_lans_snapshot(), kContainer, observation);
    EXPECT_EQ(netfilter_drop(d), nullptr);
    EXPECT_EQ(causes(d), std::vector<Cause>{Cause::not_seen_yet});
    EXPECT_FALSE(noted(d, "not counted as drops"));
}

TEST(NetfilterDropEvidence, LostEventsMakeNoDrop) {
    Observation observation = forwarded({}, without_drops_view());
    observation.lost_events = 3;
    const Diagnosis d = explain_destination(two_lans_snapshot(), kContainer, observation);
    EXPECT_EQ(netfilter_drop(d), nullptr);
    EXPECT_EQ(causes(d), std::vector<Cause>{Cause::events_lost});
    EXPECT_TRUE(noted(d, "1 while events were lost"));
    EXPECT_TRUE(noted(d, "3 events were lost"));
}

TEST(NetfilterDropEvidence, ANetfilterDropWithoutTheHooksViewIsStillTheKernelsDrop) {
    KernelViews views = all_views();
    for (auto& view : views)
        if (view.view == KernelView::netfilter_verdicts) view.active = false;
    Observation observation;
    observation.views = views;
    observation.events = {drop(3, 0x5, kSyn, "NETFILTER_DROP", "nf_hook_slow+0x9c", kLan)};
    const Diagnosis d = explain_destination(two_lans_snapshot(), kContainer, observation);
    EXPECT_EQ(d.verdict, Verdict::dropped);
    const auto kernel_drop = std::find_if(d.findings.begin(), d.findings.end(),
                                          [](const Finding& f) { return f.kind == "kernel-drop"; });
    ASSERT_NE(kernel_drop, d.findings.end());
    EXPECT_EQ(kernel_drop->drop->reason, "NETFILTER_DROP");
    EXPECT_TRUE(kernel_drop->drop->confirmed);
}

TEST(NetfilterDropEvidence, AStragglerOfAClosedConnectionIsNoCriticalKernelDrop) {
    // A reply segment of a connection the host already closed: conntrack still has it
    // ESTABLISHED, TCP finds no socket. A SYN to a closed port is NEW, and critical.
    const FlowTuple late = tcp("172.31.151.55", 9090, "172.18.2.172", 45688);
    const FlowTuple syn = tcp("172.31.151.55", 40000, "172.18.2.172", 22);
    Observation observation;
    observation.views = all_views();
    observation.events = {
        hook(0, 0x7, H::local_in, E::entry, late, kUplink, 0, kCtEstablishedReply),
        hook(1, 0x7, H::local_in, E::exit, late, kUplink, 0, kCtEstablishedReply),
        drop(2, 0x7, late, "NO_SOCKET", "tcp_v4_rcv+0x9a"),
        hook(10, 0x8, H::local_in, E::entry, syn, kUplink, 0, kCtNew),
        hook(11, 0x8, H::local_in, E::exit, syn, kUplink, 0, kCtNew),
        drop(12, 0x8, syn, "NO_SOCKET", "tcp_v4_rcv+0x9a")};
    const Diagnosis d =
        explain_destination(two_lans_snapshot(), *Ipv4Address::parse("172.31.151.55"), observation);
    std::vector<std::pair<std::string, Severity>> drops;
    for (const auto& f : d.findings)
        if (f.kind == "kernel-drop") drops.emplace_back(f.summary, f.severity);
    ASSERT_EQ(drops.size(), 2u);
    EXPECT_NE(drops[0].first.find(":9090"), std::string::npos);
    EXPECT_EQ(drops[0].second, Severity::warning);
    EXPECT_NE(drops[1].first.find(":22"), std::string::npos);
    EXPECT_EQ(drops[1].second, Severity::critical);
}

TEST(NetfilterDropEvidence, NoConntrackEntryBeforeConntracksOwnHookIsNotInvalid) {
    // Seed 004's false alarm said "conntrack state INVALID" of a packet seen at OUTPUT's first
    // priority, where conntrack (-200) has not attached an entry to any packet yet.
    const FlowTuple reply = tcp("172.18.2.172", 8080, "172.31.151.55", 40000);
    Observation observation;
    observation.views = without_drops_view();
    observation.events = {hook(0, 0x7, H::local_out, E::entry, reply, 0, kUplink)};
    Snapshot snapshot = two_lans_snapshot();
    snapshot.ruleset = Ruleset{};
    snapshot.ruleset->source = "iptables-save";
    const Diagnosis d =
        explain_destination(snapshot, *Ipv4Address::parse("172.31.151.55"), observation);
    const Finding* found = netfilter_drop(d);
    ASSERT_NE(found, nullptr);
    for (const auto& line : found->evidence)
        EXPECT_EQ(line.find("INVALID"), std::string::npos) << line;
}

}  // namespace
}  // namespace pathwhy
