// `pathwhy doctor` as a user runs it, against a lab namespace: it attaches for real, says every
// view is active on this kernel (exit 0) with its mechanism, prints the same as JSON, leaves
// nothing attached, and exits 2 with one line for a namespace that does not exist.
#include <gtest/gtest.h>

#include "support/kernel_release.h"
#include "support/pathwhy_run.h"
#include "support/privileges.h"
#include "support/trace_lab.h"

namespace pathwhy {
namespace {

TEST(TraceDoctor, EveryViewActiveOnThisKernel) {
    PATHWHY_REQUIRE_ROOT();
    if (!test::kernel_at_least(6, 13)) GTEST_SKIP() << "icmp:icmp_send needs Linux 6.13+";
    lab::LabNamespace ns(test::trace_namespace_name("da"));

    auto text = test::run_pathwhy({"doctor", "--netns", ns.name()});
    EXPECT_EQ(text.exit_code, 0) << text.out << text.err;
    for (const char* line :
         {"route lookups", "netfilter verdicts", "NAT", "conntrack", "drops", "ICMP errors",
          "neighbours", "tp_btf/kfree_skb", "BPF netfilter links", "every view is active"})
        EXPECT_NE(text.out.find(line), std::string::npos) << line << " not in:\n" << text.out;

    auto json = test::run_pathwhy({"doctor", "--netns", ns.name(), "--json"});
    EXPECT_EQ(json.exit_code, 0) << json.err;
    auto doc = json.json();
    EXPECT_EQ(doc["netns"], ns.name());
    EXPECT_EQ(doc["all_active"], true);
    ASSERT_EQ(doc["views"].size(), 7u);
    for (const auto& view : doc["views"]) {
        EXPECT_EQ(view["active"], true) << view.dump();
        EXPECT_TRUE(view["mechanism"].is_string()) << view.dump();
    }
    EXPECT_EQ(doc["features"]["netfilter_link"], true);
    EXPECT_EQ(doc["features"]["tp_btf"]["kfree_skb"], true);
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
