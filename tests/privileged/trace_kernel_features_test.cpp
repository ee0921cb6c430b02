// Feature probes and fallbacks on the real kernel: every view the probes allow attaches (a probe
// that says yes to what then does not attach would lose a view instead of falling back); the
// fallbacks are exercised by handing the tracer answers that deny the preferred mechanism:
// without netfilter links, fentry or kprobes (a Debian 12 kernel with kprobes off) a FORWARD
// drop still shows as kfree_skb NETFILTER_DROP and the views say what is missing; the kprobe
// pair on nf_hook_slow passes this kernel's verifier even where it cannot attach; and a program
// the kernel refuses to load costs its own view only, with the reason.
#include <gtest/gtest.h>

#include "support/privileges.h"
#include "support/trace_lab.h"
#include "trace/kernel_features.h"
#include "trace/packet_tracer.h"

namespace pathwhy {
namespace {

using test::describe;
using test::RoutedLab;

const ViewStatus& view_of(const KernelViews& views, KernelView view) {
    for (const auto& status : views)
        if (status.view == view) return status;
    throw std::logic_error("no such view");
}

TEST(TraceKernelFeatures, EveryViewTheProbesAllowAttaches) {
    PATHWHY_REQUIRE_ROOT();
    KernelFeatures features;
    ASSERT_TRUE(features.ring_buffer());
    const KernelViews planned = features.views();
    lab::LabNamespace ns(test::trace_namespace_name("kc"));
    PacketTracer tracer(features, {ns.name(), {*Ipv4Cidr::parse("10.0.0.0/8")}});
    for (const auto& status : planned) {
        const ViewStatus& attached = view_of(tracer.views(), status.view);
        EXPECT_EQ(attached.active, status.active)
            << kernel_view_name(status.view) << ": " << attached.reason;
        EXPECT_EQ(attached.mechanism, status.mechanism) << kernel_view_name(status.view);
        if (!status.active) {
            EXPECT_FALSE(status.reason.empty()) << kernel_view_name(status.view);
            EXPECT_FALSE(status.loss.empty()) << kernel_view_name(status.view);
        }
    }
    EXPECT_TRUE(tracer.refusals() == features.answers().refusals)
        << "nothing the probes allowed was refused at load or attach";
    // A tracepoint view's mechanism is its tp_btf twin wherever the probe found tp_btf.
    if (features.drop_reasons()) {
        EXPECT_EQ(view_of(tracer.views(), KernelView::drops).mechanism,
                  features.tp_btf("kfree_skb") ? "tp_btf/kfree_skb" : "raw_tp/kfree_skb");
    }
}

// Per-view loading on the real kernel: answers that claim a program this kernel will not load
// cost what rests on that program only, with the reason in one line — the netfilter link pair
// where there are no links (Linux before 6.4: the next netfilter mechanism takes over), the
// fentry pair where fentry is refused (this machine), tp_btf/icmp_send where that tracepoint
// does not exist.
TEST(TraceKernelFeatures, AProgramTheKernelRefusesCostsOnlyWhatRestsOnIt) {
    PATHWHY_REQUIRE_ROOT();
    KernelFeatures probed;
    FeatureAnswers answers = probed.answers();
    const KernelViews planned = plan_trace(answers).views;
    KernelView refused_view;
    std::string refusal;
    bool view_survives = false;  // another mechanism serves it
    if (!answers.netfilter_link) {
        answers.netfilter_link = true;
        refused_view = KernelView::netfilter_verdicts;
        refusal = "(netfilter link) failed to load";
        view_survives = answers.fentry || answers.kprobes;
    } else if (!answers.fentry && !probed.why_not("fentry").starts_with("attaching")) {
        answers.netfilter_link = answers.kprobes = false;
        answers.fentry = true;
        refused_view = KernelView::netfilter_verdicts;
        refusal = "(fentry/nf_hook_slow) failed to load";
    } else if (!answers.tp_btf["icmp_send"] && !answers.raw_tracepoint["icmp_send"]) {
        answers.tp_btf["icmp_send"] = true;
        refused_view = KernelView::icmp;
        refusal = "pw_icmp_send_btf (tp_btf/icmp_send) failed to load";
    } else {
        GTEST_SKIP() << "this kernel has BPF netfilter links and tp_btf/icmp_send and loads "
                        "fentry on nf_hook_slow: nothing here that it refuses to load";
    }
    KernelFeatures claiming(answers);
    lab::LabNamespace ns(test::trace_namespace_name("kd"));
    PacketTracer tracer(claiming, {ns.name(), {*Ipv4Cidr::parse("10.0.0.0/8")}});
    const ViewStatus& hit = view_of(tracer.views(), refused_view);
    EXPECT_EQ(hit.active, view_survives) << hit.reason;
    EXPECT_NE(hit.reason.find(refusal), std::string::npos) << hit.reason;
    EXPECT_EQ(hit.reason.find('\n'), std::string::npos) << hit.reason;
    if (view_survives) {
        EXPECT_EQ(hit.mechanism, view_of(planned, refused_view).mechanism);
    }
    for (const auto& status : planned) {
        if (status.view == refused_view || (refused_view == KernelView::netfilter_verdicts &&
                                            served_by_netfilter_programs(status.view)))
            continue;
        EXPECT_EQ(view_of(tracer.views(), status.view).active, status.active)
            << kernel_view_name(status.view);
    }
}

TEST(TraceKernelFeatures, WithoutAnyNetfilterMechanismADropStillShowsItsReason) {
    PATHWHY_REQUIRE_ROOT();
    KernelFeatures probed;
    if (!probed.drop_reasons())
        GTEST_SKIP() << "kfree_skb carries no drop reason here (no enum skb_drop_reason in the "
                        "kernel's BTF): the drops view this test falls back to is missing";
    FeatureAnswers answers = probed.answers();
    answers.netfilter_link = answers.fentry = answers.kprobes = false;
    KernelFeatures debian12_without_kprobes(answers);

    RoutedLab lab("ka");
    test::run_in(lab.router, {"iptables", "-A", "FORWARD", "-d", RoutedLab::kServer, "-j", "DROP"});
    PacketTracer tracer(debian12_without_kprobes,
                        {lab.router.name(), {*Ipv4Cidr::parse(RoutedLab::kServer)}});
    for (KernelView view :
         {KernelView::netfilter_verdicts, KernelView::nat, KernelView::conntrack}) {
        const ViewStatus& status = view_of(tracer.views(), view);
        EXPECT_FALSE(status.active);
        EXPECT_NE(status.reason.find("has no BPF netfilter links (Linux 6.4+)"), std::string::npos)
            << status.reason;
    }
    EXPECT_EQ(view_of(tracer.views(), KernelView::netfilter_verdicts).loss,
              "drops still show as kfree_skb NETFILTER_DROP, but not which hook");
    for (const auto& attachment : tracer.attachments())
        EXPECT_EQ(attachment.target.find("netfilter"), std::string::npos) << attachment.target;

    test::send_udp(lab.client, RoutedLab::kServer, 9);
    auto dropped = [](const std::vector<ObservedEvent>& events) {
        for (const auto& e : events)
            if (e.kind == ObservedEvent::Kind::drop) return true;
        return false;
    };
    auto seen = test::collect_until(tracer, dropped);
    ASSERT_TRUE(dropped(seen)) << describe(seen);
    for (const auto& e : seen) {
        EXPECT_NE(e.kind, ObservedEvent::Kind::netfilter);
        if (e.kind == ObservedEvent::Kind::drop) {
            EXPECT_EQ(e.drop_reason_name, "NETFILTER_DROP");
        }
    }
}

TEST(TraceKernelFeatures, KprobeFallbackPassesTheVerifier) {
    PATHWHY_REQUIRE_ROOT();
    KernelFeatures probed;
    FeatureAnswers answers = probed.answers();
    const bool kprobes_here = answers.kprobes;
    answers.netfilter_link = answers.fentry = false;
    answers.kprobes = true;
    KernelFeatures kprobe_only(answers);

    lab::LabNamespace ns(test::trace_namespace_name("kb"));
    PacketTracer tracer(kprobe_only, {ns.name(), {*Ipv4Cidr::parse("10.0.0.0/8")}});
    const ViewStatus& verdicts = view_of(tracer.views(), KernelView::netfilter_verdicts);
    EXPECT_EQ(verdicts.active, kprobes_here) << verdicts.reason;
    // A program the verifier refused would be named so in the view's reason.
    EXPECT_EQ(verdicts.reason.find("failed to load"), std::string::npos) << verdicts.reason;
    if (!kprobes_here) {
        EXPECT_NE(verdicts.reason.find("cannot attach kprobe/nf_hook_slow"), std::string::npos)
            << verdicts.reason;
        EXPECT_EQ(verdicts.loss,
                  "drops still show as kfree_skb NETFILTER_DROP, but not which hook");
    }
}

}  // namespace
}  // namespace pathwhy
