#include "cli/demo_command.h"

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>

#include "cli/diagnose_command.h"
#include "common/error.h"
#include "common/process.h"
#include "scenario/catalog.h"
#include "scenario/demo.h"

namespace pathwhy {

namespace {

// Progress goes to stderr so that `pathwhy demo --json` keeps stdout machine-readable.
void progress(const std::string& line) { std::fprintf(stderr, "demo: %s\n", line.c_str()); }

void list_scenarios() {
    for (const auto& scenario : scenario::all_scenarios())
        std::printf("%s  %s\n", scenario.id.c_str(), scenario.title.c_str());
}

// pathwhy as a user would run it in the lab, printed as it would print; returns its --json object,
// which the demo checks whatever it printed.
nlohmann::json diagnose(const scenario::DiagnoseTarget& target, bool json) {
    std::vector<std::string> argv{"pathwhy"};
    const auto args = target.args();
    argv.insert(argv.end(), args.begin(), args.end());
    if (json) argv.push_back("--json");
    progress("$ " + display_command(argv));
    std::fflush(stderr);
    DiagnoseOptions options;
    options.destination = target.destination;
    options.netns = target.netns;
    options.docker_host = target.docker_host;
    options.daemon_json = target.daemon_json;
    const LiveDiagnosis live = diagnose_live(options);
    print_diagnosis(live, json);
    return live_diagnosis_json(live);
}

}  // namespace

int run_demo(const DemoOptions& options) {
    if (options.list) {
        list_scenarios();
        return kExitHealthy;
    }
    const scenario::Scenario* chosen = scenario::find_scenario(options.scenario);
    if (!chosen)
        throw Error(fmt::format("run demo '{}'", options.scenario), "there is no such scenario",
                    "pathwhy demo --list shows them");

    scenario::DemoSteps steps;
    steps.progress = progress;
    steps.diagnose = [&](const scenario::DiagnoseTarget& target) {
        return diagnose(target, options.json);
    };
    const bool as_expected = scenario::run_demo(*chosen, options.heal, steps);
    return as_expected ? kExitHealthy : kExitProblem;
}

Command add_demo_command(CLI::App& app) {
    auto options = std::make_shared<DemoOptions>();
    CLI::App* demo = app.add_subcommand(
        "demo",
        "build a throwaway lab reproducing a seed incident (default 000: leaked compose networks "
        "take a peered VPC's 172.31.0.0/16), show its symptom, diagnose it, tear it all down");
    demo->add_option("scenario", options->scenario, "the seed scenario to run (see --list)")
        ->capture_default_str();
    demo->add_flag("--list", options->list, "list the scenarios, one line each");
    demo->add_flag("--heal", options->heal,
                   "then apply the fix pathwhy recommends and diagnose again");
    demo->add_flag("--json", options->json, "print the lab's diagnoses as JSON");
    return {demo, [options] { return run_demo(*options); }};
}

}  // namespace pathwhy
