#include "cli/demo_command.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>
#include <memory>
#include <string>

#include "cli/diagnose_command.h"
#include "common/error.h"
#include "lab/interrupt.h"
#include "scenario/catalog.h"
#include "scenario/scenario_lab.h"

namespace pathwhy {

namespace {

// Progress goes to stderr so that `pathwhy demo --json` keeps stdout machine-readable.
void progress(const std::string& line) { std::fprintf(stderr, "demo: %s\n", line.c_str()); }

void list_scenarios() {
    for (const auto& scenario : scenario::all_scenarios())
        std::printf("%s  %s\n", scenario.id.c_str(), scenario.title.c_str());
}

// The symptom as the seed's users met it, bounded, and no packet leaves the lab.
void show_symptom(const scenario::ScenarioLab& run) {
    progress("symptom: " + run.scenario().symptom);
    for (const auto& line : run.probe().shown) progress("  " + line);
}

// pathwhy as a user would run it in the lab, printed as it would print; returns its --json object,
// which the demo checks whatever it printed.
nlohmann::json diagnose(const scenario::ScenarioLab& run, bool json) {
    const scenario::DiagnoseTarget target = run.target();
    std::vector<std::string> argv{"pathwhy"};
    const auto args = target.args();
    argv.insert(argv.end(), args.begin(), args.end());
    if (json) argv.push_back("--json");
    progress("$ " + lab::display_command(argv));
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

    lab::InterruptGuard interrupts;  // Ctrl-C ends the current step; RAII tears the lab down
    progress(fmt::format("scenario {}: {}", chosen->id, chosen->title));
    progress("building a throwaway lab: host and peer network namespaces, a real dockerd");
    scenario::ScenarioLab run(*chosen, [](std::string_view step) { progress(std::string(step)); });
    const scenario::Expected expected = run.break_incident();
    show_symptom(run);

    const auto problems = scenario::unmet(expected, diagnose(run, options.json));
    for (const auto& problem : problems)
        progress(fmt::format("pathwhy fell short: {}; please report this", problem));
    if (problems.empty() && expected.healthy())
        progress(fmt::format("no incident on this engine ({}): pathwhy finds the path healthy",
                             expected.prevented_because));
    else if (problems.empty())
        progress(fmt::format("pathwhy found it: {} naming {}", expected.kind,
                             fmt::join(expected.mentions, ", ")));
    bool as_expected = problems.empty();

    if (options.heal) {
        run.heal();
        show_symptom(run);
        if (diagnose(run, options.json).value("verdict", "") == "ok") {
            progress("healed: pathwhy finds the path healthy");
        } else {
            progress("pathwhy still finds a problem after the heal; please report this");
            as_expected = false;
        }
    }
    progress("tearing the lab down");
    run.down();
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
