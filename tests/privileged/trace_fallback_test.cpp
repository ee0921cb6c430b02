// Each fallback of the packet tracer proven with real packets, through pathwhy as a user runs
// it: an OUTPUT DROP rule in a lab namespace is named down to its hook and rule through BPF
// netfilter links, through fentry/fexit on nf_hook_slow (links refused by PATHWHY_TEST_REFUSE)
// and through kprobe/kretprobe (links and fentry refused); and on a kernel whose kfree_skb has
// no reason the drops view is missing and named, in doctor and in the diagnosis. A mechanism
// this kernel does not give is skipped, naming the probe that said so.
#include <gtest/gtest.h>

#include <optional>

#include "support/pathwhy_run.h"
#include "support/privileges.h"
#include "support/trace_lab.h"
#include "trace/kernel_features.h"

namespace pathwhy {
namespace {

using nlohmann::json;

constexpr const char* kDestination = "198.51.100.7";

// A namespace whose default route leaves by a veth nobody answers on, and an OUTPUT rule
// dropping UDP to port 9 of kDestination: a probe from it is dropped on its way out.
std::unique_ptr<lab::LabNamespace> dropping_namespace(const std::string& tag) {
    auto ns = std::make_unique<lab::LabNamespace>(test::trace_namespace_name(tag));
    ns->ip({"link", "set", "lo", "up"});
    ns->ip({"link", "add", "uplink", "type", "veth", "peer", "name", "uplink-end"});
    ns->ip({"link", "set", "uplink-end", "up"});
    ns->ip({"addr", "add", "192.0.2.10/24", "dev", "uplink"});
    ns->ip({"link", "set", "uplink", "up"});
    ns->ip({"route", "add", "default", "via", "192.0.2.1"});
    test::run_in(*ns, {"iptables", "-A", "OUTPUT", "-d", kDestination, "-p", "udp", "--dport", "9",
                       "-j", "DROP"});
    return ns;
}

const json* find_view(const json& views, const std::string& id) {
    for (const auto& view : views)
        if (view["id"] == id) return &view;
    return nullptr;
}

using OutputDrop = test::ForcedMechanism;

TEST_P(OutputDrop, IsNamedWithItsHookAndRule) {
    auto ns = dropping_namespace("oa");
    auto run =
        test::run_pathwhy({kDestination, "--netns", ns->name(), "--probe", "udp:9", "--json"},
                          {{"DOCKER_HOST", ""}, {"PATHWHY_TEST_REFUSE", GetParam().refused}});
    EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
    const json j = run.json();
    const json* verdicts = find_view(j["views"], "netfilter_verdicts");
    ASSERT_NE(verdicts, nullptr) << j.dump(1);
    ASSERT_EQ((*verdicts)["active"], true) << verdicts->dump();
    const std::string mechanism = (*verdicts)["mechanism"];
    EXPECT_NE(
        mechanism.find(GetParam().attach == Attach::netfilter_link ? "BPF netfilter links"
                       : GetParam().attach == Attach::fentry       ? "fentry/fexit on nf_hook_slow"
                                                             : "kprobe/kretprobe on nf_hook_slow"),
        std::string::npos)
        << mechanism;

    // The fallbacks' blind spot is named: this namespace has no chain at PRE/POSTROUTING.
    bool unseen_named = false;
    for (const auto& note : j["notes"])
        unseen_named |= note.get<std::string>().starts_with("no chain at PREROUTING, POSTROUTING");
    EXPECT_EQ(unseen_named, GetParam().attach != Attach::netfilter_link) << j["notes"].dump(1);

    EXPECT_EQ(j["verdict"], "dropped") << j.dump(1);
    const json* drop = nullptr;
    for (const auto& finding : j["findings"])
        if (finding["kind"] == "netfilter-drop") drop = &finding;
    ASSERT_NE(drop, nullptr) << j.dump(1);
    const json& where = (*drop)["drop"];
    EXPECT_EQ(where["hook"], "OUTPUT");
    EXPECT_EQ(where["table"], "filter");
    EXPECT_EQ(where["chain"], "OUTPUT");
    EXPECT_EQ(where["rule"],
              std::string("-A OUTPUT -d ") + kDestination + "/32 -p udp -m udp --dport 9 -j DROP");
    EXPECT_EQ(where["out_dev"], "uplink");
    if (features().drop_reasons()) {
        EXPECT_EQ(where["reason"], "NETFILTER_DROP");
    }
}

INSTANTIATE_TEST_SUITE_P(Mechanisms, OutputDrop, ::testing::ValuesIn(test::netfilter_mechanisms()),
                         test::mechanism_name);

// Linux before 5.17: kfree_skb has no reason, so the drops view is missing, and said to be.
TEST(DropsWithoutReasons, TheDropsViewIsMissingAndNamed) {
    PATHWHY_REQUIRE_ROOT();
    KernelFeatures features;
    if (features.drop_reasons())
        GTEST_SKIP() << "this kernel's BTF has enum skb_drop_reason: its drops view is not "
                        "missing, nothing to name";
    auto ns = dropping_namespace("ob");
    auto doctor = test::run_pathwhy({"doctor", "--netns", ns->name(), "--json"});
    EXPECT_EQ(doctor.exit_code, 1) << doctor.err;
    const json report = doctor.json();  // kept: find_view points into it
    const json* drops = find_view(report["views"], "drops");
    ASSERT_NE(drops, nullptr);
    EXPECT_EQ((*drops)["active"], false);
    EXPECT_NE((*drops)["reason"].get<std::string>().find("kfree_skb carries no drop reason"),
              std::string::npos)
        << drops->dump();
    EXPECT_TRUE((*drops)["loss"].is_string());

    auto run = test::run_pathwhy(
        {kDestination, "--netns", ns->name(), "--probe", "udp:9", "--json"}, {{"DOCKER_HOST", ""}});
    ASSERT_EQ(run.exit_code, 1) << run.out << run.err;
    bool named = false;
    const json diagnosis = run.json();
    for (const auto& note : diagnosis["notes"])
        named |= note.get<std::string>().find("kernel view missing: drops") != std::string::npos;
    EXPECT_TRUE(named) << run.out;
}

}  // namespace
}  // namespace pathwhy
