// Feature probes and fallbacks on the real kernel. This kernel has everything the tracer
// prefers; the fallbacks are exercised by handing the tracer answers that deny the preferred
// mechanism: without netfilter links, fentry or kprobes (a Debian 12 kernel with kprobes off)
// a FORWARD drop still shows as kfree_skb NETFILTER_DROP and the views say what is missing; the
// kprobe pair on nf_hook_slow passes this kernel's verifier even where it cannot attach.
#include <gtest/gtest.h>

#include "support/kernel_release.h"
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

TEST(TraceKernelFeatures, EveryViewIsActiveOnThisKernel) {
    PATHWHY_REQUIRE_ROOT();
    if (!test::kernel_at_least(6, 13)) GTEST_SKIP() << "icmp:icmp_send needs Linux 6.13+";
    KernelFeatures features;
    EXPECT_TRUE(features.ring_buffer());
    EXPECT_TRUE(features.netfilter_link());
    for (const auto& use : traced_tracepoints())
        EXPECT_TRUE(features.tp_btf(use.tracepoint)) << use.tracepoint;
    for (const auto& status : features.views()) {
        EXPECT_TRUE(status.active) << kernel_view_name(status.view) << ": " << status.reason;
        EXPECT_FALSE(status.mechanism.empty());
    }
    EXPECT_EQ(view_of(features.views(), KernelView::drops).mechanism, "tp_btf/kfree_skb");
}

TEST(TraceKernelFeatures, WithoutAnyNetfilterMechanismADropStillShowsItsReason) {
    PATHWHY_REQUIRE_ROOT();
    KernelFeatures probed;
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
    // Loading is all or nothing: constructing means the verifier took the kprobe pair.
    PacketTracer tracer(kprobe_only, {ns.name(), {*Ipv4Cidr::parse("10.0.0.0/8")}});
    const ViewStatus& verdicts = view_of(tracer.views(), KernelView::netfilter_verdicts);
    EXPECT_EQ(verdicts.active, kprobes_here) << verdicts.reason;
    if (!kprobes_here) {
        EXPECT_NE(verdicts.reason.find("cannot attach kprobe/nf_hook_slow"), std::string::npos)
            << verdicts.reason;
        EXPECT_EQ(verdicts.loss,
                  "drops still show as kfree_skb NETFILTER_DROP, but not which hook");
    }
}

}  // namespace
}  // namespace pathwhy
