// A DROP rule in OUTPUT of the lab's host namespace, on the host's own connection attempt: the
// packet is the host's, freed before it has a device, so the drops view must find its namespace
// through its socket. The drop is still confirmed by the kernel (NETFILTER_DROP for the same
// skb), which is what makes a netfilter-drop critical now that a missing exit alone does not.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "lab/lab.h"
#include "support/lab_args.h"
#include "support/pathwhy_run.h"
#include "support/privileges.h"

namespace pathwhy {
namespace {

using nlohmann::json;

TEST(OutputDrop, TheHostsOwnSynDroppedInOutputIsAConfirmedDrop) {
    PATHWHY_REQUIRE_ROOT();
    lab::Lab lab;
    const std::string peer(lab::kPeerServiceAddress);
    const auto inserted = lab.host().exec({"iptables", "-I", "OUTPUT", "-d", peer + "/32", "-p",
                                           "tcp", "--dport", "9", "-j", "DROP"});
    ASSERT_TRUE(inserted.ok()) << inserted.failure();

    test::PathwhyRun run =
        test::run_pathwhy(test::lab_command({peer}, lab, {"--json", "--probe", "tcp:9"}));
    EXPECT_EQ(run.exit_code, 1) << run.err;
    const json j = run.json();
    EXPECT_EQ(j["verdict"], "dropped") << j.dump(1);
    const json* drop = nullptr;
    for (const auto& f : j["findings"])
        if (f["kind"] == "netfilter-drop") drop = &f;
    ASSERT_NE(drop, nullptr) << j.dump(1);
    EXPECT_EQ((*drop)["severity"], "critical");
    const json& where = (*drop)["drop"];
    EXPECT_EQ(where["confirmed"], true);
    EXPECT_EQ(where["reason"], "NETFILTER_DROP");
    EXPECT_EQ(where["hook"], "OUTPUT");
    EXPECT_EQ(where["chain"], "OUTPUT");
    EXPECT_EQ(where["rule"], "-A OUTPUT -d " + peer + "/32 -p tcp -m tcp --dport 9 -j DROP");
    // connect() retries the SYN: every one is confirmed, none only inferred.
    EXPECT_GE(where["packets"].get<int>(), 1);
}

}  // namespace
}  // namespace pathwhy
