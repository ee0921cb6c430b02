// pathwhy's entry point: parses the command line into plain option structs and dispatches.
// Every error leaves here as one line on stderr and exit code 2.
#include <CLI/CLI.hpp>
#include <signal.h>

#include <cstdio>
#include <iostream>
#include <vector>

#include <fmt/format.h>

#include "cli/conntrack_fix.h"
#include "cli/demo_command.h"
#include "cli/diagnose_command.h"
#include "cli/doctor_command.h"
#include "cli/record_command.h"
#include "cli/report_command.h"
#include "cli/scan_command.h"
#include "cli/command.h"
#include "cli/options.h"
#include "cli/place_options.h"
#include "common/error.h"

namespace {

constexpr const char* kDescription =
    "pathwhy explains why this host cannot reach an address, a port or a container: which route\n"
    "wins and why, which Docker network (compose project, containers, age) swallowed it, whether\n"
    "that network is leaked, which conntrack entry still sends a published port's traffic to an\n"
    "old container, and the exact commands to fix it now and to keep it from coming back.";

constexpr const char* kExamples = R"(
Examples:
  pathwhy 172.31.151.55                   why can't this host reach 172.31.151.55?
  pathwhy 172.31.151.55 --json            the same, for scripts (format: see README)
  pathwhy 10.1.2.3 --netns ci-runner      diagnose inside network namespace "ci-runner"
  pathwhy 10.1.2.3 --netns /proc/4242/ns/net
  pathwhy 172.31.151.55 --probe tcp:443   send one SYN and show its path through the kernel
  pathwhy 172.18.0.3 --probe icmp --from container:web
                                          ... from inside container web
  pathwhy 172.31.5.9 --watch 10           watch real traffic to and from 172.31.5.9 for 10 s
                                          (replies routed into a Docker bridge show up here)
  pathwhy :8888/udp                       why doesn't this host's published UDP port 8888 reach
                                          its container? (stale conntrack NAT after a redeploy)
  pathwhy :8888/udp --fix                 ... and delete the stale entries (asks first; --yes)
  pathwhy :8888/udp --watch 5             ... and watch the packets those entries still catch
  pathwhy 172.18.2.172:8888/udp           the same port on one of this host's addresses
  pathwhy container:web                   the route to container web and its published ports
  pathwhy scan --peer 172.31.0.0/16       every known trap on this host at once: leaked
                                          networks, overlaps with routes and peer ranges,
                                          stale NAT of published ports
  pathwhy record --watch 172.31.0.0/16 -o /var/lib/pathwhy/vpc.rec
                                          record until Ctrl-C what decides where traffic to and
                                          from the VPC goes, and say when it goes wrong
  pathwhy report /var/lib/pathwhy/vpc.rec --format html -o incident.html
                                          the incident report: timeline, cause, impact, fix
  DOCKER_HOST=unix:///run/user/1000/docker.sock pathwhy 192.168.0.10
  pathwhy demo                            build a throwaway lab reproducing a real incident
                                          (leaked compose networks swallow a peered VPC) and
                                          diagnose it; needs root and docker.io, cleans up
  pathwhy demo --list                     the other seed incidents it can rebuild
  pathwhy demo 004 --heal                 one of them, then the fix applied and re-diagnosed

Exit status: 0 the path is healthy, 1 pathwhy found a problem, 2 pathwhy could not diagnose.
)";

void print_error(const std::string& message, const std::string& hint = {}) {
    std::string line = "pathwhy: " + message;
    if (!hint.empty()) line += " (" + hint + ")";
    std::fprintf(stderr, "%s\n", line.c_str());
}

void ignore_closed_pipe(int) {}

// `pathwhy demo 2>&1 | head` closes the output early; the default SIGPIPE would kill pathwhy
// before it tore its lab down (namespaces, dockerd). Writes then just fail. A handler, not
// SIG_IGN: the programs pathwhy starts (dockerd, iptables-save, busybox) get the default back at
// exec.
void survive_closed_output() {
    struct sigaction action {};
    action.sa_handler = ignore_closed_pipe;
    sigemptyset(&action.sa_mask);
    sigaction(SIGPIPE, &action, nullptr);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace pathwhy;
    survive_closed_output();
    CLI::App app{kDescription, "pathwhy"};
    app.set_version_flag("--version", "pathwhy 0.1.0");

    DiagnoseOptions diagnose;
    app.add_option("destination", diagnose.destination,
                   "what this host cannot reach: an IPv4 address, HOST:PORT/udp|tcp, "
                   ":PORT/udp|tcp (a port this host publishes) or container:NAME");
    add_place_options(app, "diagnose", diagnose.netns, diagnose.docker_host, diagnose.daemon_json);
    app.add_flag("--json", diagnose.json, "print the diagnosis as JSON (stable format, see README)");
    CLI::Option* fix = app.add_flag(
        "--fix", diagnose.fix,
        "delete the stale conntrack entries the diagnosis names, then diagnose again");
    app.add_flag("--yes", diagnose.yes, "with --fix: do not ask first (for scripts)")->needs(fix);
    app.add_option("--probe", diagnose.trace.probe,
                   "send one bounded probe (tcp:PORT, udp:PORT or icmp) and trace it through the "
                   "kernel: route lookups, netfilter hooks, drops, ICMP errors, ARP");
    app.add_option("--from", diagnose.trace.from,
                   "with --probe: send it from inside a container (container:NAME)");
    app.add_option("--watch", diagnose.trace.watch_seconds,
                   "trace real traffic to and from the destination for SECONDS, sending nothing "
                   "(Ctrl-C ends it early); for a port or a container, the flows its stale "
                   "conntrack entries hold");
    // The handshake of the end-to-end tests: written once the tracer is attached.
    app.add_option("--ready-file", diagnose.trace.ready_file)->group("");

    // Subcommands, one file each.
    const std::vector<Command> commands{
        add_demo_command(app),
        add_doctor_command(app),
        add_scan_command(app),
        add_record_command(app),
        add_report_command(app),
    };
    app.require_subcommand(0, 1);
    // After the subcommands: CLI11 hands a parent's footer down to subcommands added later, and
    // each subcommand's help carries its own examples instead.
    app.footer(kExamples);

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
        return diagnose.fix ? run_fix(diagnose) : run_diagnose(diagnose);
    } catch (const Error& e) {
        print_error(e.what(), e.hint());
        return kExitError;
    } catch (const std::exception& e) {
        print_error(e.what());
        return kExitError;
    }
}
