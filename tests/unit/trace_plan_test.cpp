// The tracer's choice of programs and the views it reports, for kernels we do not run on: this
// machine's 6.18 (everything), Debian 12's 6.1 (no netfilter links; fentry, or kprobes when
// fentry is refused), a kernel with none of those, one without BTF for its tracepoints, one
// without icmp_send, and one without a ring buffer. The fallbacks cannot be exercised on this
// kernel beyond this choice (and the kprobe pair's verifier run in trace_kernel_features_test).
#include "trace/trace_plan.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace pathwhy {
namespace {

FeatureAnswers kernel_6_18() {
    FeatureAnswers answers;
    answers.kernel_release = "6.18.4";
    answers.ring_buffer = true;
    for (const auto& use : traced_tracepoints()) {
        answers.tp_btf[use.tracepoint] = true;
        answers.raw_tracepoint[use.tracepoint] = true;
    }
    answers.netfilter_link = true;
    answers.drop_reasons = true;
    return answers;
}

FeatureAnswers debian12(bool fentry, bool kprobes) {
    FeatureAnswers answers = kernel_6_18();
    answers.kernel_release = "6.1.0-18-amd64";
    answers.tp_btf["icmp_send"] = answers.raw_tracepoint["icmp_send"] = false;
    answers.netfilter_link = false;
    answers.fentry = fentry;
    answers.kprobes = kprobes;
    return answers;
}

std::vector<std::string> programs(const TracePlan& plan) {
    std::vector<std::string> names;
    for (const auto& p : plan.programs) names.push_back(p.program);
    std::sort(names.begin(), names.end());
    return names;
}

bool has(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

const ViewStatus& view(const TracePlan& plan, KernelView which) {
    return *std::find_if(plan.views.begin(), plan.views.end(),
                         [which](const ViewStatus& s) { return s.view == which; });
}

TEST(TracePlan, NewKernelGetsTpBtfAndNetfilterLinksAndEveryView) {
    TracePlan plan = plan_trace(kernel_6_18());
    EXPECT_EQ(plan.netfilter, Attach::netfilter_link);
    EXPECT_EQ(programs(plan),
              (std::vector<std::string>{"pw_fib_btf", "pw_hook_entry", "pw_hook_exit",
                                        "pw_icmp_send_btf", "pw_kfree_skb_btf", "pw_neigh_send_btf",
                                        "pw_neigh_timer_btf", "pw_neigh_update_btf"}));
    ASSERT_EQ(plan.views.size(), 7u);
    for (const auto& status : plan.views) {
        EXPECT_TRUE(status.active) << kernel_view_name(status.view);
        EXPECT_TRUE(status.reason.empty()) << status.reason;
        EXPECT_TRUE(status.loss.empty()) << status.loss;
    }
    EXPECT_EQ(view(plan, KernelView::route_lookups).mechanism, "tp_btf/fib_table_lookup");
    EXPECT_EQ(view(plan, KernelView::neighbours).mechanism,
              "tp_btf/neigh_event_send_done, neigh_timer_handler, neigh_update_done");
    EXPECT_NE(view(plan, KernelView::netfilter_verdicts).mechanism.find("INT_MIN+1"),
              std::string::npos);
}

TEST(TracePlan, Debian12UsesFentryOnNfHookSlow) {
    TracePlan plan = plan_trace(debian12(true, true));
    EXPECT_EQ(plan.netfilter, Attach::fentry);
    auto names = programs(plan);
    EXPECT_TRUE(has(names, "pw_hook_slow_entry") && has(names, "pw_hook_slow_exit"));
    EXPECT_FALSE(has(names, "pw_hook_entry"));
    // The kprobe pair is loaded too: it is attached if the fentry pair will not attach.
    EXPECT_TRUE(has(names, "pw_hook_slow_kprobe") && has(names, "pw_hook_slow_kretprobe"));
    EXPECT_EQ(plan.netfilter_candidates, (std::vector<Attach>{Attach::fentry, Attach::kprobe}));
    for (const auto& p : plan.programs) {
        if (p.attach == Attach::fentry) {
            EXPECT_EQ(p.target, "nf_hook_slow");
        }
    }
    const ViewStatus& verdicts = view(plan, KernelView::netfilter_verdicts);
    EXPECT_TRUE(verdicts.active);
    EXPECT_EQ(verdicts.mechanism, "fentry/fexit on nf_hook_slow");
    EXPECT_EQ(verdicts.reason,
              "kernel 6.1.0-18-amd64 has no BPF netfilter links (Linux 6.4+): fentry/fexit on "
              "nf_hook_slow instead");
    EXPECT_NE(verdicts.loss.find("hooks with no rule"), std::string::npos);
    EXPECT_TRUE(view(plan, KernelView::nat).active);
    EXPECT_TRUE(view(plan, KernelView::conntrack).active);
}

TEST(TracePlan, RefusedFentryFallsBackToKprobes) {
    TracePlan plan = plan_trace(debian12(false, true));
    EXPECT_EQ(plan.netfilter, Attach::kprobe);
    auto names = programs(plan);
    EXPECT_TRUE(has(names, "pw_hook_slow_kprobe") && has(names, "pw_hook_slow_kretprobe"));
    EXPECT_FALSE(has(names, "pw_hook_slow_entry"));
    EXPECT_EQ(view(plan, KernelView::netfilter_verdicts).mechanism,
              "kprobe/kretprobe on nf_hook_slow");
}

TEST(TracePlan, EveryNetfilterMechanismIsACandidatePreferredFirst) {
    FeatureAnswers answers = kernel_6_18();
    answers.fentry = answers.kprobes = true;
    TracePlan plan = plan_trace(answers);
    EXPECT_EQ(plan.netfilter, Attach::netfilter_link);
    EXPECT_EQ(plan.netfilter_candidates,
              (std::vector<Attach>{Attach::netfilter_link, Attach::fentry, Attach::kprobe}));
    EXPECT_EQ(plan.programs.size(), 6u + 6u);  // six tracepoints, three pairs
}

// What the tracer does when the fentry pair loads but will not attach: it refuses fentry with
// the error and plans again; the kprobe pair's views say why fentry is not used.
TEST(TracePlan, AFentryRefusedAtAttachTimeIsNamedInTheKprobeViews) {
    FeatureAnswers answers = debian12(true, true);
    TracePlan first = plan_trace(answers);
    refuse(answers, Attach::fentry, "cannot attach fentry/nf_hook_slow: Device or resource busy");
    EXPECT_FALSE(answers.fentry);
    TracePlan plan = plan_trace(answers);
    EXPECT_EQ(plan.netfilter, Attach::kprobe);
    const ViewStatus& verdicts = view(plan, KernelView::netfilter_verdicts);
    EXPECT_TRUE(verdicts.active);
    EXPECT_EQ(verdicts.reason,
              "kernel 6.1.0-18-amd64 has no BPF netfilter links (Linux 6.4+); fentry on "
              "nf_hook_slow: cannot attach fentry/nf_hook_slow: Device or resource busy: "
              "kprobe/kretprobe on nf_hook_slow instead");
    EXPECT_EQ(mechanism_key(first.programs.back()), "kprobes");
}

TEST(TracePlan, ATpBtfProgramThatFailsToLoadFallsBackToItsRawTwin) {
    FeatureAnswers answers = kernel_6_18();
    TracePlan first = plan_trace(answers);
    auto drop =
        std::find_if(first.programs.begin(), first.programs.end(),
                     [](const PlannedProgram& p) { return p.program == "pw_kfree_skb_btf"; });
    ASSERT_NE(drop, first.programs.end());
    EXPECT_EQ(mechanism_key(*drop), "tp_btf/kfree_skb");
    refuse(answers, *drop, "pw_kfree_skb_btf (tp_btf/kfree_skb) failed to load: Invalid argument");
    TracePlan plan = plan_trace(answers);
    auto names = programs(plan);
    EXPECT_TRUE(has(names, "pw_kfree_skb_raw"));
    EXPECT_FALSE(has(names, "pw_kfree_skb_btf"));
    const ViewStatus& drops = view(plan, KernelView::drops);
    EXPECT_TRUE(drops.active);
    EXPECT_EQ(drops.mechanism, "raw_tp/kfree_skb");
    EXPECT_EQ(drops.reason,
              "pw_kfree_skb_btf (tp_btf/kfree_skb) failed to load: Invalid argument: the raw_tp "
              "twin instead");
    EXPECT_TRUE(has(names, "pw_fib_btf")) << "the other views keep their programs";
}

TEST(TracePlan, BothTwinsFailingCostTheirViewOnlyWithBothReasons) {
    FeatureAnswers answers = kernel_6_18();
    refuse(answers, {"pw_neigh_timer_btf", Attach::tp_btf, "neigh_timer_handler"}, "btf: EINVAL");
    refuse(answers, {"pw_neigh_timer_raw", Attach::raw_tp, "neigh_timer_handler"}, "raw: EACCES");
    TracePlan plan = plan_trace(answers);
    const ViewStatus& neighbours = view(plan, KernelView::neighbours);
    EXPECT_FALSE(neighbours.active);
    EXPECT_EQ(neighbours.reason, "kernel 6.18.4: btf: EINVAL; raw: EACCES");
    auto names = programs(plan);
    EXPECT_FALSE(has(names, "pw_neigh_send_btf")) << "a view that is missing loads nothing";
    EXPECT_FALSE(has(names, "pw_neigh_update_btf"));
    for (KernelView other : {KernelView::route_lookups, KernelView::netfilter_verdicts,
                             KernelView::drops, KernelView::icmp})
        EXPECT_TRUE(view(plan, other).active) << kernel_view_name(other);
}

TEST(TracePlan, EveryNetfilterMechanismRefusedSaysWhyEachWas) {
    FeatureAnswers answers = debian12(true, true);
    refuse(answers, Attach::fentry, "loading an fentry program: Operation not permitted");
    refuse(answers, Attach::kprobe, "no kprobe event source");
    const TracePlan plan = plan_trace(answers);
    const ViewStatus& verdicts = view(plan, KernelView::netfilter_verdicts);
    EXPECT_FALSE(verdicts.active);
    EXPECT_EQ(verdicts.reason,
              "kernel 6.1.0-18-amd64 has no BPF netfilter links (Linux 6.4+), and neither fentry "
              "nor kprobes (fentry: loading an fentry program: Operation not permitted; kprobes: "
              "no kprobe event source)");
}

TEST(TracePlan, NoNetfilterMechanismNamesWhatIsLost) {
    TracePlan plan = plan_trace(debian12(false, false));
    EXPECT_EQ(plan.netfilter, Attach::none);
    for (const auto& p : plan.programs)
        EXPECT_NE(p.view, KernelView::netfilter_verdicts) << p.program;
    const ViewStatus& verdicts = view(plan, KernelView::netfilter_verdicts);
    EXPECT_FALSE(verdicts.active);
    EXPECT_TRUE(verdicts.mechanism.empty());
    EXPECT_EQ(verdicts.reason,
              "kernel 6.1.0-18-amd64 has no BPF netfilter links (Linux 6.4+), and neither fentry "
              "nor kprobes");
    EXPECT_EQ(verdicts.loss, "drops still show as kfree_skb NETFILTER_DROP, but not which hook");
    EXPECT_FALSE(view(plan, KernelView::nat).active);
    EXPECT_FALSE(view(plan, KernelView::conntrack).active);
    EXPECT_TRUE(view(plan, KernelView::drops).active);
}

TEST(TracePlan, MissingIcmpSendTracepointCostsTheIcmpViewOnly) {
    TracePlan plan = plan_trace(debian12(true, true));
    const ViewStatus& icmp = view(plan, KernelView::icmp);
    EXPECT_FALSE(icmp.active);
    EXPECT_EQ(
        icmp.reason,
        "kernel 6.1.0-18-amd64 has no tracepoint icmp_send that BPF can attach to (Linux 6.13+)");
    EXPECT_NE(icmp.loss.find("No route to host"), std::string::npos);
    auto names = programs(plan);
    EXPECT_FALSE(has(names, "pw_icmp_send_btf") || has(names, "pw_icmp_send_raw"));
    EXPECT_TRUE(view(plan, KernelView::neighbours).active);
}

TEST(TracePlan, TracepointsWithoutBtfUseTheRawTwins) {
    FeatureAnswers answers = kernel_6_18();
    for (auto& [tracepoint, usable] : answers.tp_btf) usable = false;
    TracePlan plan = plan_trace(answers);
    auto names = programs(plan);
    for (const auto& use : traced_tracepoints()) {
        EXPECT_TRUE(has(names, use.raw_tp_program)) << use.tracepoint;
        EXPECT_FALSE(has(names, use.tp_btf_program)) << use.tracepoint;
    }
    EXPECT_EQ(view(plan, KernelView::drops).mechanism, "raw_tp/kfree_skb");
    EXPECT_TRUE(view(plan, KernelView::drops).active);
}

// Linux 5.10-5.16: kfree_skb exists but has no reason argument, which the drop programs read.
TEST(TracePlan, WithoutDropReasonsTheDropViewIsMissingNotBroken) {
    FeatureAnswers answers = kernel_6_18();
    answers.kernel_release = "5.10.0-28-amd64";
    answers.drop_reasons = false;
    TracePlan plan = plan_trace(answers);
    const ViewStatus& drops = view(plan, KernelView::drops);
    EXPECT_FALSE(drops.active);
    EXPECT_EQ(drops.reason,
              "kernel 5.10.0-28-amd64's kfree_skb carries no drop reason (Linux 5.17+)");
    EXPECT_FALSE(drops.loss.empty());
    auto names = programs(plan);
    EXPECT_FALSE(has(names, "pw_kfree_skb_btf"));
    EXPECT_FALSE(has(names, "pw_kfree_skb_raw"));
    EXPECT_TRUE(view(plan, KernelView::route_lookups).active);
}

TEST(TracePlan, OneMissingNeighbourTracepointCostsTheView) {
    FeatureAnswers answers = kernel_6_18();
    answers.tp_btf["neigh_timer_handler"] = answers.raw_tracepoint["neigh_timer_handler"] = false;
    TracePlan plan = plan_trace(answers);
    const ViewStatus& neighbours = view(plan, KernelView::neighbours);
    EXPECT_FALSE(neighbours.active);
    EXPECT_NE(neighbours.reason.find("neigh_timer_handler"), std::string::npos);
    EXPECT_NE(neighbours.loss.find("INCOMPLETE -> FAILED"), std::string::npos);
}

TEST(TracePlan, NoRingBufferMeansNothingIsLoaded) {
    FeatureAnswers answers = kernel_6_18();
    answers.kernel_release = "5.4.0";
    answers.ring_buffer = false;
    TracePlan plan = plan_trace(answers);
    EXPECT_TRUE(plan.programs.empty());
    for (const auto& status : plan.views) {
        EXPECT_FALSE(status.active);
        EXPECT_EQ(status.reason, "kernel 5.4.0 has no BPF ring buffer (Linux 5.8+)");
        EXPECT_FALSE(status.loss.empty());
    }
    EXPECT_EQ(view(plan, KernelView::netfilter_verdicts).loss,
              "packets dropped by iptables/nftables rules are not seen");
}

}  // namespace
}  // namespace pathwhy
