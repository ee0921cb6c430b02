// pathwhy's entry point: parses the command line into plain option structs and dispatches.
// Every error leaves here as one line on stderr and exit code 2.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <vector>

#include <fmt/format.h>

#include "cli/demo_command.h"
#include "cli/diagnose_command.h"
#include "cli/command.h"
#include "cli/options.h"
#include "common/error.h"

namespace {

constexpr const char* kDescription =
    "pathwhy explains why this host cannot reach an address: which route wins and why, which\n"
    "Docker network (compose project, containers, age) swallowed it, whether that network is\n"
    "leaked, and the exact commands to fix it now and to keep it from coming back.";

constexpr const char* kExamples = R"(
Examples:
  pathwhy 172.31.151.55                   why can't this host reach 172.31.151.55?
  pathwhy 172.31.151.55 --json            the same, for scripts (format: see README)
  pathwhy 10.1.2.3 --netns ci-runner      diagnose inside network namespace "ci-runner"
  pathwhy 10.1.2.3 --netns /proc/4242/ns/net
  DOCKER_HOST=unix:///run/user/1000/docker.sock pathwhy 192.168.0.10
  pathwhy demo                            build a throwaway lab reproducing a real incident
                                          (leaked compose networks swallow a peered VPC) and
                                          diagnose it; needs root and docker.io, cleans up

Exit status: 0 the path is healthy, 1 pathwhy found a problem, 2 pathwhy could not diagnose.
)";

void print_error(const std::string& message, const std::string& hint = {}) {
    std::string line = "pathwhy: " + message;
    if (!hint.empty()) line += " (" + hint + ")";
    std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace

int main(int argc, char** argv) {
    using namespace pathwhy;
    CLI::App app{kDescription, "pathwhy"};
    app.footer(kExamples);
    app.set_version_flag("--version", "pathwhy 0.1.0");

    DiagnoseOptions diagnose;
    app.add_option("destination", diagnose.destination, "IPv4 address this host cannot reach");
    app.add_option("--netns", diagnose.netns,
                   "diagnose inside this network namespace: a name from `ip netns list` or a "
                   "path such as /proc/PID/ns/net");
    app.add_option("--docker-host", diagnose.docker_host,
                   "Docker Engine API endpoint (unix:///path or tcp://host:port); default "
                   "$DOCKER_HOST, then unix:///var/run/docker.sock");
    app.add_option("--daemon-json", diagnose.daemon_json,
                   "Docker daemon configuration to read address pools from")
        ->capture_default_str();
    app.add_flag("--json", diagnose.json, "print the diagnosis as JSON (stable format, see README)");

    // Subcommands, one file each.
    const std::vector<Command> commands{
        add_demo_command(app),
    };
    app.require_subcommand(0, 1);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::cout << app.help();
        return kExitHealthy;
    } catch (const CLI::CallForVersion&) {
        std::cout << "pathwhy 0.1.0\n";
        return kExitHealthy;
    } catch (const CLI::ParseError& e) {
        print_error(e.what(), "see pathwhy --help");
        return kExitError;
    }

    try {
        for (const auto& command : commands)
            if (command.app->parsed()) return command.run();
        if (diagnose.destination.empty()) {
            print_error("no destination given: which address can't this host reach?",
                        "e.g. pathwhy 172.31.151.55; see pathwhy --help");
            return kExitError;
        }
        return run_diagnose(diagnose);
    } catch (const Error& e) {
        print_error(e.what(), e.hint());
        return kExitError;
    } catch (const std::exception& e) {
        print_error(e.what());
        return kExitError;
    }
}
