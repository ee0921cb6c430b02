// `pathwhy demo`'s command line, without building a lab: --list names every scenario, and an
// unknown scenario is one line and exit 2 before anything is set up (no root needed for either).
#include <gtest/gtest.h>

#include "scenario/catalog.h"
#include "support/pathwhy_run.h"

namespace pathwhy {
namespace {

TEST(DemoCommand, ListsEveryScenarioWithItsTitle) {
    const test::PathwhyRun run = test::run_pathwhy({"demo", "--list"});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    std::string expected;
    for (const auto& scenario : scenario::all_scenarios())
        expected += scenario.id + "  " + scenario.title + "\n";
    EXPECT_EQ(run.out, expected);
}

TEST(DemoCommand, UnknownScenarioIsOneLineAndExit2) {
    const test::PathwhyRun run = test::run_pathwhy({"demo", "007"});
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_EQ(run.out, "");
    EXPECT_EQ(run.err,
              "pathwhy: cannot run demo '007': there is no such scenario (pathwhy demo --list "
              "shows them)\n");
}

}  // namespace
}  // namespace pathwhy
