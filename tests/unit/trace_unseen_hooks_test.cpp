// The fallbacks' blind spot, named for the namespace diagnosed: under fentry/fexit or
// kprobe/kretprobe on nf_hook_slow the hooks without any chain are listed; with BPF netfilter
// links, or a chain at every hook, nothing is said; with the rules unknown the limit is said in
// general.
#include <gtest/gtest.h>

#include "model/kernel_views.h"

namespace pathwhy {
namespace {

KernelViews netfilter_through(const std::string& mechanism) {
    return {{KernelView::netfilter_verdicts, true, mechanism, "", ""}};
}

// iptables-nft's filter table: INPUT, FORWARD and OUTPUT base chains.
Ruleset filter_table() {
    Ruleset rules;
    rules.source = "iptables-save";
    FirewallTable filter{"filter", {}};
    filter.chains.push_back({"INPUT", "ACCEPT", NetfilterHook::local_in, 0, {}});
    filter.chains.push_back({"FORWARD", "ACCEPT", NetfilterHook::forward, 0, {}});
    filter.chains.push_back({"OUTPUT", "ACCEPT", NetfilterHook::local_out, 0, {}});
    filter.chains.push_back({"DOCKER", "", std::nullopt, 0, {}});
    rules.tables.push_back(filter);
    return rules;
}

TEST(TraceUnseenHooks, TheFallbackNamesTheHooksWithoutAChain) {
    auto note =
        unseen_hooks_note(netfilter_through("fentry/fexit on nf_hook_slow"), filter_table());
    ASSERT_TRUE(note);
    EXPECT_EQ(*note,
              "no chain at PREROUTING, POSTROUTING in this namespace: fentry/fexit on nf_hook_slow "
              "sees only hooks with something registered, so packets pass there unseen (unless "
              "conntrack hooks them)");
}

TEST(TraceUnseenHooks, WithRulesUnknownTheLimitIsSaidInGeneral) {
    Ruleset unreadable;
    unreadable.error = "iptables-save: not found";
    for (const std::optional<Ruleset>& rules :
         {std::optional<Ruleset>{}, std::optional(unreadable)}) {
        auto note = unseen_hooks_note(netfilter_through("kprobe/kretprobe on nf_hook_slow"), rules);
        ASSERT_TRUE(note);
        EXPECT_NE(note->find("kprobe/kretprobe on nf_hook_slow sees a netfilter hook only when"),
                  std::string::npos)
            << *note;
    }
}

TEST(TraceUnseenHooks, LinksOrAChainAtEveryHookSayNothing) {
    EXPECT_FALSE(unseen_hooks_note(
        netfilter_through("BPF netfilter links at priorities INT_MIN+1 and INT_MAX-1"),
        filter_table()));
    Ruleset everywhere = filter_table();
    FirewallTable mangle{"mangle", {}};
    mangle.chains.push_back({"PREROUTING", "ACCEPT", NetfilterHook::prerouting, -150, {}});
    mangle.chains.push_back({"POSTROUTING", "ACCEPT", NetfilterHook::postrouting, -150, {}});
    everywhere.tables.push_back(mangle);
    EXPECT_FALSE(unseen_hooks_note(netfilter_through("fentry/fexit on nf_hook_slow"), everywhere));
    KernelViews missing{{KernelView::netfilter_verdicts, false, "", "no mechanism", "lost"}};
    EXPECT_FALSE(unseen_hooks_note(missing, filter_table()));
}

}  // namespace
}  // namespace pathwhy
