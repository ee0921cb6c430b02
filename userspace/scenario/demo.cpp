#include "scenario/demo.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/interrupt.h"
#include "scenario/expectation.h"
#include "scenario/scenario_lab.h"

namespace pathwhy::scenario {
namespace {

// The symptom as the seed's users met it, bounded, and no packet leaves the lab.
void show_symptom(const ScenarioLab& run, const DemoSteps& steps) {
    steps.progress("symptom: " + run.scenario().symptom);
    for (const auto& line : run.probe().shown) steps.progress("  " + line);
}

}  // namespace

bool run_demo(const Scenario& scenario, bool heal, const DemoSteps& steps) {
    InterruptGuard interrupts;  // Ctrl-C ends the current step; RAII tears the lab down
    steps.progress(fmt::format("scenario {}: {}", scenario.id, scenario.title));
    steps.progress("building a throwaway lab: host and peer network namespaces, a real dockerd");
    ScenarioLab run(scenario, [&](std::string_view step) { steps.progress(std::string(step)); });
    const Expected expected = run.break_incident();
    show_symptom(run, steps);

    const auto problems = unmet(expected, steps.diagnose(run.target()));
    for (const auto& problem : problems)
        steps.progress(fmt::format("pathwhy fell short: {}; please report this", problem));
    if (problems.empty() && expected.healthy())
        steps.progress(
            fmt::format("no incident on this engine ({}): pathwhy finds the path healthy",
                        expected.prevented_because));
    else if (problems.empty())
        steps.progress(fmt::format("pathwhy found it: {} naming {}", expected.kind,
                                   fmt::join(expected.mentions, ", ")));
    bool as_expected = problems.empty();

    if (heal) {
        run.heal();
        show_symptom(run, steps);
        if (steps.diagnose(run.target()).value("verdict", "") == "ok") {
            steps.progress("healed: pathwhy finds the path healthy");
        } else {
            steps.progress("pathwhy still finds a problem after the heal; please report this");
            as_expected = false;
        }
    }
    steps.progress("tearing the lab down");
    run.down();
    return as_expected;
}

}  // namespace pathwhy::scenario
