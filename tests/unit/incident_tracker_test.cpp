// The incident tracker as `record` feeds it and `report` replays it, on packets that entered a
// netfilter hook: a drop the kernel confirms opens an incident; a missing exit alone — in the
// tracer's last second, while events were lost, or without a kfree_skb from an active drops view
// — opens none and is counted; a recording that ends so reports zero incidents and says why.
#include "explain/incident_tracker.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "report/incident_json.h"
#include "report/incident_report.h"
#include "support/observed_events.h"
#include "support/seed_fixture.h"

namespace pathwhy {
namespace {

using namespace test;
using H = NetfilterHook;
using E = HookEdge;
using Cause = UnfinishedPacket::Cause;

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kStart = 1667379060LL * kSecond;
// The events' monotonic clock (observed_events.h starts at 5 s) placed on the wall clock.
constexpr std::int64_t kMonotonicToUnix = kStart - 5 * kSecond;
const Ipv4Cidr kWatched = *Ipv4Cidr::parse("192.168.0.0/20");
const FlowTuple kSyn = tcp("172.18.2.129", 40000, "192.168.0.2", 5432);
constexpr int kUplink = 2, kLan = 4;

std::int64_t wall(const ObservedEvent& event) {
    return static_cast<std::int64_t>(event.timestamp_ns) + kMonotonicToUnix;
}

// The SYN into FORWARD, `us` after the start, without its exit.
ObservedEvent forward_entry(std::uint64_t us, std::uint64_t skb) {
    return hook(us, skb, H::forward, E::entry, kSyn, kUplink, kLan, kCtNew);
}

class Tracked : public ::testing::Test {
  protected:
    explicit Tracked(KernelViews views = views_without(KernelView::drops, "not on this kernel"))
        : tracker_({kWatched}) {
        tracker_.set_views(std::move(views));
        EXPECT_TRUE(tracker_.take_snapshot(two_lans_snapshot(), kStart).empty());
    }

    std::vector<IncidentChange> see(const ObservedEvent& event) {
        tracker_.observe(event, wall(event));
        return tracker_.evaluate(wall(event));
    }

    IncidentTracker tracker_;
};

class TrackedWithoutDropsView : public Tracked {};
class TrackedWithEveryView : public Tracked {
  protected:
    TrackedWithEveryView() : Tracked(all_views()) {}
};

TEST_F(TrackedWithEveryView, ADropTheKernelConfirmsOpensAnIncident) {
    see(forward_entry(1'000'000, 0x5));
    auto changes = see(drop(1'000'001, 0x5, kSyn, "NETFILTER_DROP", "nf_hook_slow+0x9c"));
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_TRUE(changes[0].opened);
    EXPECT_EQ(changes[0].incident.finding.kind, "netfilter-drop");
    EXPECT_TRUE(changes[0].incident.finding.drop->confirmed);
}

TEST_F(TrackedWithEveryView, AMissingExitWithoutAKfreeSkbOpensNothingAndIsCounted) {
    see(forward_entry(1'000'000, 0x5));
    // Judged once its second has passed, at the next evaluation.
    EXPECT_TRUE(tracker_.evaluation_due(wall(forward_entry(3'000'000, 0))));
    EXPECT_TRUE(tracker_.evaluate(kStart + 3 * kSecond).empty());
    EXPECT_TRUE(tracker_.open_incidents().empty());
    EXPECT_EQ(tracker_.unfinished_packets(), (std::map<Cause, std::size_t>{{Cause::not_freed, 1}}));
}

TEST_F(TrackedWithoutDropsView, AnUnconfirmedDropIsAWarningNotAnIncident) {
    see(forward_entry(1'000'000, 0x5));
    EXPECT_TRUE(tracker_.evaluate(kStart + 3 * kSecond).empty());
    EXPECT_TRUE(tracker_.open_incidents().empty());
    EXPECT_TRUE(tracker_.unfinished_packets().empty()) << "judged: a warning, not unfinished";
}

TEST_F(TrackedWithoutDropsView, AnEntryInTheTracersLastSecondIsNoDrop) {
    see(forward_entry(1'000'000, 0x5));
    EXPECT_TRUE(tracker_.tracer_stopped(kStart + 1 * kSecond + 400'000'000).empty());
    // Whatever comes after the tracer stopped (other sources' last records) judges it no more.
    EXPECT_TRUE(tracker_.evaluate(kStart + 5 * kSecond).empty());
    EXPECT_EQ(tracker_.unfinished_packets(),
              (std::map<Cause, std::size_t>{{Cause::tracer_stopped, 1}}));
}

TEST_F(TrackedWithoutDropsView, LostEventsWithinTheWindowMakeNoDrop) {
    tracker_.add_lost_events(40, kStart + 900'000'000);
    see(forward_entry(1'000'000, 0x5));
    EXPECT_TRUE(tracker_.evaluate(kStart + 3 * kSecond).empty());
    EXPECT_EQ(tracker_.unfinished_packets(),
              (std::map<Cause, std::size_t>{{Cause::events_lost, 1}}));
}

// A recording made before the tracer said when it stopped: its last packet entered FORWARD a
// moment before "stopped", on a kernel without the drops view.
std::vector<Record> recording_ending_mid_hook(bool tracer_stopped_note) {
    SessionInfo session;
    session.pathwhy_version = "0.1.0";
    session.hostname = "ci-runner-7";
    session.watched = {kWatched};
    session.started_unix_ns = kStart;
    session.monotonic_to_unix_ns = kMonotonicToUnix;
    session.views = views_without(KernelView::drops, "not on this kernel");
    session.sources = {{"packet tracer", true, "BPF"}};
    const ObservedEvent healthy_entry =
        hook(1'000'000, 0x4, H::forward, E::entry, kSyn, kUplink, kLan, kCtNew);
    const ObservedEvent healthy_exit =
        hook(1'000'001, 0x4, H::forward, E::exit, kSyn, kUplink, kLan, kCtNew);
    const ObservedEvent last = forward_entry(59'500'000, 0x5);
    std::vector<Record> records{{kStart, session},
                                {kStart, two_lans_snapshot()},
                                {wall(healthy_entry), healthy_entry},
                                {wall(healthy_exit), healthy_exit},
                                {wall(last), last}};
    if (tracer_stopped_note)
        records.push_back(
            {wall(last) + 200'000'000, RecordingNote{"tracer-stopped", "packet tracer stopped"}});
    // The other sources stop after the tracer; their last records come later.
    records.push_back(
        {wall(last) + 700'000'000, RecordingNote{"stopped", "recording stopped by SIGTERM"}});
    return records;
}

IncidentReport replay(const std::vector<Record>& records) {
    IncidentReportBuilder builder;
    for (const auto& record : records) builder.add(record);
    return builder.finish();
}

TEST(IncidentReplay, ARecordingEndingMidHookReportsNoIncidentAndSaysWhy) {
    for (const bool note : {true, false}) {
        SCOPED_TRACE(note ? "with the tracer's own stop note" : "an older recording");
        const IncidentReport report = replay(recording_ending_mid_hook(note));
        EXPECT_TRUE(report.incidents.empty());
        EXPECT_EQ(report.unfinished_packets,
                  (std::map<Cause, std::size_t>{{Cause::tracer_stopped, 1}}));
        EXPECT_TRUE(std::any_of(report.remarks.begin(), report.remarks.end(), [](const auto& r) {
            return r.text.find(
                       "1 packet seen entering a netfilter hook and not leaving it is "
                       "not counted as drops") != std::string::npos &&
                   r.text.find("1 in the tracer's last second") != std::string::npos;
        }));
        const auto json = incident_report_to_json(report);
        EXPECT_EQ(json["unfinished_packets"]["tracer_stopped"], 1);
        EXPECT_EQ(json["lost_events"], 0);
        EXPECT_TRUE(json["incidents"].empty());
    }
}

}  // namespace
}  // namespace pathwhy
