#include "cli/demo_command.h"

#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/diagnose_command.h"
#include "lab/interrupt.h"
#include "lab/lab.h"
#include "lab/seed000.h"

namespace pathwhy {

namespace {

// Progress goes to stderr so that `pathwhy demo --json` keeps stdout machine-readable.
void progress(const std::string& line) { std::fprintf(stderr, "demo: %s\n", line.c_str()); }

// The seed's first clue: a connection to the peer fails with "No route to host" after ~3 s
// (ARP for the peer on the bridge fails). Bounded, and the packet never leaves the lab.
void show_symptom(const lab::Lab& lab, const lab::Seed000& seed) {
    const std::string peer = lab::seed000_peer().str();
    progress(fmt::format("$ nc -w 5 {} 443     # from the lab host, as the seed's curl did", peer));
    lab::RunOptions bounded;
    bounded.timeout = std::chrono::seconds(10);
    auto result = lab.host().exec({"busybox", "nc", "-w", "5", peer, "443"}, bounded);
    std::string said = result.err.empty() ? result.out : result.err;
    while (!said.empty() && said.back() == '\n') said.pop_back();
    progress(said.empty() ? fmt::format("(exit {})", result.exit_code) : said);
    (void)seed;
}

}  // namespace

int run_demo(const DemoOptions& options) {
    lab::InterruptGuard interrupts;  // Ctrl-C ends the current step; RAII tears the lab down
    progress("building a throwaway lab: host and peer network namespaces, a real dockerd");
    lab::LabOptions lab_options;
    lab_options.on_step = [](std::string_view step) { progress(std::string(step)); };
    lab::Lab lab(lab_options);
    lab::Seed000 seed = lab::build_seed000(lab);
    const lab::LabNetwork& culprit = seed.swallowing_network();
    progress(fmt::format("{} leaked compose networks later, {} got {} — the peer's range",
                         seed.networks.size(), culprit.name, culprit.subnet.str()));
    show_symptom(lab, seed);

    DiagnoseOptions diagnose;
    diagnose.destination = lab::seed000_peer().str();
    diagnose.netns = lab.host().name();
    diagnose.docker_host = lab.docker_host();
    diagnose.daemon_json = lab.dockerd().dir() + "/daemon.json";  // the lab daemon has none
    diagnose.json = options.json;
    progress(fmt::format("$ pathwhy {} --netns {} --docker-host {}", diagnose.destination,
                         diagnose.netns, diagnose.docker_host));
    std::fflush(stderr);
    const Diagnosis diagnosis = diagnose_and_print(diagnose);

    const bool named_culprit =
        diagnosis.verdict == Verdict::misrouted && !diagnosis.findings.empty() &&
        diagnosis.findings.front().docker_network &&
        diagnosis.findings.front().docker_network->id == culprit.id;
    progress("tearing the lab down");
    if (!named_culprit) {
        progress(fmt::format("pathwhy did not name {} as the culprit: please report this",
                             culprit.name));
        return kExitProblem;
    }
    return kExitHealthy;
}

Command add_demo_command(CLI::App& app) {
    auto options = std::make_shared<DemoOptions>();
    CLI::App* demo = app.add_subcommand(
        "demo",
        "build a throwaway lab reproducing seed incident 000 (leaked compose networks take a "
        "peered VPC's 172.31.0.0/16), diagnose 172.31.151.55 there, tear it all down");
    demo->add_flag("--json", options->json, "print the lab's diagnosis as JSON");
    return {demo, [options] { return run_demo(*options); }};
}

}  // namespace pathwhy
