// Every seed scenario end to end, from the same definitions `pathwhy demo` runs, against the real
// kernel and a real dockerd: after `break` the lab really shows the symptom (the probe fails) and
// the built pathwhy, asked as a user would with --json, exits 1 with the scenario's finding naming
// its network, bridge and project; after `heal` the probe succeeds and pathwhy exits 0 with the
// verdict "ok"; after `down` nothing of the lab is left. A scenario added to the catalogue is
// tested here without further ado.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>

#include "scenario/catalog.h"
#include "scenario/scenario_lab.h"
#include "support/lab_leftovers.h"
#include "support/pathwhy_run.h"
#include "support/privileges.h"

namespace pathwhy::scenario {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> scenario_ids() {
    std::vector<std::string> ids;
    for (const auto& scenario : all_scenarios()) ids.push_back(scenario.id);
    return ids;
}

test::PathwhyRun diagnose(const ScenarioLab& run) {
    auto args = run.target().args();
    args.push_back("--json");
    return test::run_pathwhy(args);
}

std::string shown(const ProbeResult& probe) {
    return fmt::format("{}", fmt::join(probe.shown, "\n"));
}

class Scenarios : public ::testing::TestWithParam<std::string> {};

TEST_P(Scenarios, BreakIsDiagnosedHealIsHealthyDownLeavesNothing) {
    PATHWHY_REQUIRE_ROOT();
    const Scenario& scenario = *find_scenario(GetParam());
    const auto start = Clock::now();
    std::vector<pid_t> pids;
    {
        ScenarioLab run(scenario, [start](std::string_view step) {
            fmt::print("  [{:6.2f} s] {}\n",
                       std::chrono::duration<double>(Clock::now() - start).count(), step);
        });
        pids = run.lab().footprint().pids;

        const Expected expected = run.break_incident();
        const ProbeResult broken_probe = run.probe();
        EXPECT_FALSE(broken_probe.works) << "no symptom:\n" << shown(broken_probe);
        const test::PathwhyRun broken = diagnose(run);
        EXPECT_EQ(broken.exit_code, 1) << broken.out << broken.err;
        for (const auto& problem : unmet(expected, broken.json()))
            ADD_FAILURE() << problem << "\n" << broken.out;

        run.heal();
        const ProbeResult healed_probe = run.probe();
        EXPECT_TRUE(healed_probe.works) << "still broken:\n" << shown(healed_probe);
        const test::PathwhyRun healed = diagnose(run);
        EXPECT_EQ(healed.exit_code, 0) << healed.out << healed.err;
        EXPECT_EQ(healed.json()["verdict"], "ok");

        // A heal may restart dockerd: its new pids must go with the lab as well.
        for (pid_t pid : run.lab().footprint().pids) pids.push_back(pid);
        run.down();
    }
    RecordProperty(
        "scenario_seconds",
        fmt::format("{:.1f}", std::chrono::duration<double>(Clock::now() - start).count()));
    const auto leftovers = test::lab_leftovers(getpid(), pids);
    EXPECT_TRUE(leftovers.empty()) << fmt::format("left behind: {}", fmt::join(leftovers, "; "));
}

INSTANTIATE_TEST_SUITE_P(Seeds, Scenarios, ::testing::ValuesIn(scenario_ids()),
                         [](const auto& info) { return "seed" + info.param; });

}  // namespace
}  // namespace pathwhy::scenario
