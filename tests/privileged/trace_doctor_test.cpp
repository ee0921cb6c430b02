// `pathwhy doctor` as a user runs it, against a lab namespace: it attaches for real and shows
// each view exactly as a tracer made in the test attaches it in that namespace — active with its
// mechanism, or missing with the reason — with exit 0 only when all are active, the same as
// JSON, and nothing left attached; with PATHWHY_TEST_REFUSE it shows the fallback and names the
// refusal; and it exits 2 with one line for a namespace that does not exist.
#include <gtest/gtest.h>

#include <algorithm>

#include "support/pathwhy_run.h"
#include "support/privileges.h"
#include "support/trace_lab.h"
#include "trace/kernel_features.h"
#include "trace/packet_tracer.h"

namespace pathwhy {
namespace {

// The views a tracer attached in `ns` gives, and its refusals, with the test switch in force.
struct Expected {
    KernelViews views;
    std::map<std::string, std::string> refusals;
};

Expected traced_views(const lab::LabNamespace& ns) {
    KernelFeatures features;
    PacketTracer tracer(features, {ns.name(), {}});
    return {tracer.views(), tracer.refusals()};
}

void expect_doctor_shows(const lab::LabNamespace& ns, const Expected& expected,
                         const std::vector<std::pair<std::string, std::string>>& env) {
    const bool all_active = std::all_of(expected.views.begin(), expected.views.end(),
                                        [](const ViewStatus& s) { return s.active; });
    auto text = test::run_pathwhy({"doctor", "--netns", ns.name()}, env);
    EXPECT_EQ(text.exit_code, all_active ? 0 : 1) << text.out << text.err;
    for (const auto& status : expected.views) {
        const std::string shown = status.active ? status.mechanism : status.reason;
        EXPECT_NE(text.out.find(kernel_view_name(status.view)), std::string::npos);
        EXPECT_NE(text.out.find(shown), std::string::npos) << shown << " not in:\n" << text.out;
    }
    for (const auto& [mechanism, why] : expected.refusals)
        EXPECT_NE(text.out.find("refused: " + mechanism + ": " + why), std::string::npos)
            << text.out;
    EXPECT_NE(text.out.find(all_active ? "every view is active" : "views missing"),
              std::string::npos)
        << text.out;

    auto json = test::run_pathwhy({"doctor", "--netns", ns.name(), "--json"}, env);
    EXPECT_EQ(json.exit_code, all_active ? 0 : 1) << json.err;
    auto doc = json.json();
    EXPECT_EQ(doc["netns"], ns.name());
    EXPECT_EQ(doc["all_active"], all_active);
    ASSERT_EQ(doc["views"].size(), expected.views.size());
    for (std::size_t i = 0; i < expected.views.size(); ++i) {
        const auto& view = doc["views"][i];
        const ViewStatus& status = expected.views[i];
        EXPECT_EQ(view["id"], kernel_view_id(status.view));
        EXPECT_EQ(view["active"], status.active) << view.dump();
        if (status.active) {
            EXPECT_EQ(view["mechanism"], status.mechanism) << view.dump();
        } else {
            EXPECT_EQ(view["reason"], status.reason) << view.dump();
            EXPECT_TRUE(view["mechanism"].is_null()) << view.dump();
        }
        // One line each, however long the verifier's story.
        if (view["reason"].is_string()) {
            EXPECT_EQ(view["reason"].get<std::string>().find('\n'), std::string::npos);
        }
    }
    EXPECT_EQ(doc["features"]["refusals"].size(), expected.refusals.size());
}

TEST(TraceDoctor, ShowsEachViewAsTheTracerAttachesIt) {
    PATHWHY_REQUIRE_ROOT();
    lab::LabNamespace ns(test::trace_namespace_name("da"));
    expect_doctor_shows(ns, traced_views(ns), {});
}

// The kprobe pair forced: doctor says so, and why neither links nor fentry were used.
TEST(TraceDoctor, ShowsTheFallbackTheTestSwitchForces) {
    PATHWHY_REQUIRE_ROOT();
    const test::NetfilterMechanism& kprobe = test::netfilter_mechanisms().back();
    test::RefusedMechanisms refused(kprobe.refused);
    KernelFeatures features;
    const std::string missing = test::missing_mechanism(features, kprobe);
    if (!missing.empty()) GTEST_SKIP() << missing;
    lab::LabNamespace ns(test::trace_namespace_name("db"));
    const Expected expected = traced_views(ns);
    for (const auto& status : expected.views)
        if (served_by_netfilter_programs(status.view)) {
            EXPECT_EQ(status.mechanism, "kprobe/kretprobe on nf_hook_slow");
        }
    EXPECT_EQ(expected.refusals.count("netfilter_link"), 1u);
    EXPECT_EQ(expected.refusals.count("fentry"), 1u);
    expect_doctor_shows(ns, expected, {{"PATHWHY_TEST_REFUSE", kprobe.refused}});
}

TEST(TraceDoctor, AnUnknownRefusalIsAnError) {
    PATHWHY_REQUIRE_ROOT();
    auto run = test::run_pathwhy({"doctor"}, {{"PATHWHY_TEST_REFUSE", "fentry,bogus"}});
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    EXPECT_NE(run.err.find("'bogus' is not a mechanism"), std::string::npos) << run.err;
}

TEST(TraceDoctor, UnknownNamespaceIsAnError) {
    PATHWHY_REQUIRE_ROOT();
    auto run = test::run_pathwhy({"doctor", "--netns", test::trace_namespace_name("zz")});
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find("pathwhy: cannot enter network namespace"), std::string::npos)
        << run.err;
}

}  // namespace
}  // namespace pathwhy
