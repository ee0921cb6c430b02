// The --json contract for what the tracer saw: "trace", "observed" (stable field names per event
// kind), "views", and the findings' "direction" and "drop".
#include <gtest/gtest.h>

#include "explain/explainer.h"
#include "report/json_report.h"
#include "support/observed_events.h"
#include "support/seed_fixture.h"

namespace pathwhy {
namespace {

using namespace test;
using nlohmann::json;
using H = NetfilterHook;
using E = HookEdge;

json traced_json() {
    const Snapshot snapshot = seed000_snapshot();
    const int bridge = snapshot.kernel.link_by_name("br-e8395baf4d8b")->ifindex;
    const FlowTuple syn = tcp("172.31.0.1", 40312, "172.31.151.55", 443);
    Observation observation;
    observation.mode = Observation::Mode::probe;
    observation.probe = "tcp:443";
    observation.outcome = "No route to host";
    observation.outcome_after_ms = 3064;
    observation.views = all_views();
    observation.views.back().active = false;
    observation.views.back().reason = "no tp_btf or raw_tp for neigh_*";
    observation.events = {
        lookup(0, syn, kTableMain, bridge),
        hook(100, 0x1, H::local_out, E::entry, syn, 0, bridge),
        hook(101, 0x1, H::local_out, E::exit, syn, 0, bridge, kCtNew),
        icmp_error(3'060'010, 0x1, syn, 3, 1, bridge),
        drop(3'060'020, 0x1, syn, "NEIGH_FAILED", "neigh_invalidate+0x7e", bridge),
        neighbour(3'060'030, "172.31.151.55", bridge, 0x01, 0x20)};
    Diagnosis d = explain_destination(snapshot, *Ipv4Address::parse("172.31.151.55"), observation);
    return json::parse(diagnosis_to_json(d, DiagnosisContext{}).dump());
}

TEST(ObservedJson, TraceSaysHowPacketsWereSeen) {
    const json trace = traced_json()["trace"];
    EXPECT_EQ(trace["mode"], "probe");
    EXPECT_EQ(trace["probe"], "tcp:443");
    EXPECT_TRUE(trace["from"].is_null());
    EXPECT_TRUE(trace["watch_seconds"].is_null());
    EXPECT_EQ(trace["outcome"], "No route to host");
    EXPECT_EQ(trace["outcome_after_ms"], 3064);
    EXPECT_EQ(trace["events"], 6);
    EXPECT_EQ(trace["lost_events"], 0);
    EXPECT_EQ(trace["interrupted"], false);
    EXPECT_EQ(trace["unfinished_packets"], json::array());
}

TEST(ObservedJson, DropsSayWhetherTheKernelConfirmedThemAndUnfinishedPacketsWhyNotDrops) {
    Snapshot snapshot;
    snapshot.kernel = kernel_state_from_ip_route("default via 10.0.0.1 dev eth0\n");
    const FlowTuple syn = tcp("10.0.0.7", 40000, "10.0.0.5", 9);
    Observation observation;
    observation.views = all_views();
    observation.events = {hook(0, 0x7, H::local_out, E::entry, syn, 0, 2),
                          drop(1, 0x7, syn, "NETFILTER_DROP", "nf_hook_slow+0x9c"),
                          hook(2'000'000, 0x8, H::local_out, E::entry, syn, 0, 2)};
    observation.events_end_ns = observation.events.back().timestamp_ns + 100'000'000;
    observation.tracer_stopped = true;
    const json j = diagnosis_to_json(
        explain_destination(snapshot, *Ipv4Address::parse("10.0.0.5"), observation),
        DiagnosisContext{});
    const json& drop = j["findings"][0]["drop"];
    EXPECT_EQ(j["findings"][0]["kind"], "netfilter-drop");
    EXPECT_EQ(drop["confirmed"], true);
    EXPECT_TRUE(drop["unconfirmed_because"].is_null());
    EXPECT_EQ(drop["packets"], 1);
    EXPECT_EQ(j["trace"]["unfinished_packets"],
              json::parse(R"([{"packet_id": 8, "hook": "OUTPUT", "cause": "tracer_stopped"}])"));
}

TEST(ObservedJson, EveryEventHasTheCommonFields) {
    const json observed = traced_json()["observed"];
    ASSERT_EQ(observed.size(), 6u);
    for (const auto& event : observed) {
        for (const char* field :
             {"kind", "time_offset_ns", "netns", "packet", "tuple", "in_dev", "out_dev", "mark"})
            EXPECT_TRUE(event.contains(field)) << field << " in " << event.dump();
        EXPECT_TRUE(event["time_offset_ns"].is_number_unsigned());
    }
    EXPECT_EQ(observed[0]["time_offset_ns"], 0);
    EXPECT_EQ(observed[5]["time_offset_ns"], 3'060'030'000u);
}

TEST(ObservedJson, KindSpecificFields) {
    const json observed = traced_json()["observed"];
    const json& lookup = observed[0];
    EXPECT_EQ(lookup["kind"], "route_lookup");
    EXPECT_EQ(lookup["table"], "main");
    EXPECT_TRUE(lookup["error"].is_null());
    EXPECT_TRUE(lookup["gateway"].is_null());
    EXPECT_EQ(lookup["nexthop_dev"], "br-e8395baf4d8b");
    EXPECT_EQ(lookup["in_dev"], "lo");
    EXPECT_EQ(lookup["packet"], 0);
    EXPECT_EQ(lookup["tuple"], (json{{"protocol", "tcp"},
                                     {"src", "172.31.0.1"},
                                     {"sport", 40312},
                                     {"dst", "172.31.151.55"},
                                     {"dport", 443}}));

    const json& exit = observed[2];
    EXPECT_EQ(exit["kind"], "netfilter");
    EXPECT_EQ(exit["hook"], "OUTPUT");
    EXPECT_EQ(exit["edge"], "exit");
    EXPECT_EQ(exit["priority"], kExitPriority);
    EXPECT_EQ(exit["out_dev"], "br-e8395baf4d8b");
    EXPECT_TRUE(exit["in_dev"].is_null());
    EXPECT_EQ(exit["conntrack"]["state"], "NEW");
    EXPECT_EQ(exit["conntrack"]["reply_direction"], false);
    EXPECT_EQ(exit["conntrack"]["original"]["dst"], "172.31.151.55");
    EXPECT_TRUE(exit["conntrack"]["status"].is_array());
    EXPECT_TRUE(observed[1]["conntrack"].is_null());

    const json& icmp = observed[3];
    EXPECT_EQ(icmp["kind"], "icmp_error");
    EXPECT_EQ(icmp["icmp_type"], 3);
    EXPECT_EQ(icmp["icmp_code"], 1);
    EXPECT_EQ(icmp["icmp_meaning"], "host unreachable");

    const json& drop = observed[4];
    EXPECT_EQ(drop["kind"], "drop");
    EXPECT_EQ(drop["reason"], "NEIGH_FAILED");
    EXPECT_EQ(drop["location"], "neigh_invalidate+0x7e");
    EXPECT_TRUE(drop["reason_code"].is_number());

    const json& neighbour = observed[5];
    EXPECT_EQ(neighbour["kind"], "neighbour");
    EXPECT_EQ(neighbour["neighbour"], "172.31.151.55");
    EXPECT_EQ(neighbour["old_state"], "INCOMPLETE");
    EXPECT_EQ(neighbour["new_state"], "FAILED");
    EXPECT_TRUE(neighbour["tuple"].is_null());
    EXPECT_TRUE(neighbour["packet"].is_null());
}

TEST(ObservedJson, ViewsSayWhatWasActive) {
    const json views = traced_json()["views"];
    ASSERT_EQ(views.size(), 7u);
    EXPECT_EQ(views[0]["id"], "route_lookups");
    EXPECT_EQ(views[0]["active"], true);
    EXPECT_TRUE(views[0]["reason"].is_null());
    EXPECT_EQ(views[6]["id"], "neighbours");
    EXPECT_EQ(views[6]["active"], false);
    EXPECT_EQ(views[6]["reason"], "no tp_btf or raw_tp for neigh_*");
    for (const auto& view : views)
        for (const char* field : {"id", "active", "mechanism", "reason", "loss"})
            EXPECT_TRUE(view.contains(field)) << field;
}

TEST(ObservedJson, FindingsCarryDirectionAndDrop) {
    const json j = traced_json();
    EXPECT_EQ(j["findings"][0]["kind"], "route-into-docker-bridge");
    EXPECT_EQ(j["findings"][0]["direction"], "outbound");
    EXPECT_TRUE(j["findings"][0]["drop"].is_null());
    for (const auto& finding : j["findings"]) {
        if (finding["kind"] != "route-into-docker-bridge") {
            EXPECT_TRUE(finding["direction"].is_null());
        }
    }
    bool missing_view_noted = false;
    for (const auto& note : j["notes"])
        missing_view_noted |= note.get<std::string>().find("kernel view missing: neighbours") == 0;
    EXPECT_TRUE(missing_view_noted) << j["notes"].dump();
}

TEST(ObservedJson, AnUntracedDiagnosisHasEmptyObservedAndViews) {
    Diagnosis d = explain_destination(seed000_snapshot(), *Ipv4Address::parse("172.31.151.55"));
    const json j = diagnosis_to_json(d, DiagnosisContext{});
    EXPECT_TRUE(j["trace"].is_null());
    EXPECT_EQ(j["observed"], json::array());
    EXPECT_EQ(j["views"], json::array());
}

}  // namespace
}  // namespace pathwhy
