#include "cli/record_command.h"

#include <memory>
#include <string>
#include <vector>

#include "cli/options.h"
#include "cli/place_options.h"
#include "cli/units.h"
#include "common/error.h"
#include "common/interrupt.h"
#include "record/recorder.h"

namespace pathwhy {
namespace {

struct RecordArguments {
    std::vector<std::string> watched;
    std::string output = "pathwhy.rec";
    std::string max_size = "256M";
    unsigned max_files = 4;
    std::string duration;
    std::string netns;
    std::string docker_host;
    std::string daemon_json = kDefaultDaemonJson;
    std::string on_incident;
    int on_incident_timeout = 10;
    std::string ready_file;
};

RecorderOptions recorder_options(const RecordArguments& arguments) {
    RecorderOptions options;
    for (const auto& text : arguments.watched) {
        auto prefix = Ipv4Cidr::parse(text);
        if (!prefix || text == "default")
            throw Error("record", "--watch '" + text + "' is not an IPv4 prefix",
                        "e.g. --watch 172.31.0.0/16 (a peered VPC) or --watch 10.8.0.5 (one host)");
        options.watched.push_back(prefix->network());
    }
    options.output = arguments.output;
    options.limits.max_total_bytes = parse_size(arguments.max_size, "--max-size");
    options.limits.max_files = arguments.max_files;
    if (options.limits.max_file_bytes() < (64u << 10))
        throw Error("record", "--max-size " + arguments.max_size + " leaves each of the " +
                                  std::to_string(arguments.max_files) + " files less than 64 KiB",
                    "raise --max-size or lower --max-files");
    if (!arguments.duration.empty())
        options.duration = parse_duration(arguments.duration, "--duration");
    options.place = snapshot_request(arguments.netns, arguments.docker_host, arguments.daemon_json);
    options.on_incident = arguments.on_incident;
    options.on_incident_limit = std::chrono::seconds(arguments.on_incident_timeout);
    options.ready_file = arguments.ready_file;
    return options;
}

int run_record(const RecordArguments& arguments) {
    // Before any thread starts: the sources' threads inherit the blocked signals, and Ctrl-C or
    // SIGTERM then only sets the flag the recorder's loop checks, so the file is closed cleanly.
    InterruptGuard interrupts;
    record(recorder_options(arguments));
    return kExitHealthy;
}

}  // namespace

Command add_record_command(CLI::App& app) {
    auto arguments = std::make_shared<RecordArguments>();
    CLI::App* command = app.add_subcommand(
        "record",
        "record, until stopped, what decides where traffic of the watched prefixes goes — "
        "packets (BPF), Docker's events, route/link/address/rule changes, conntrack, snapshots — "
        "and announce incidents as they happen; read it with `pathwhy report`");
    command->add_option("--watch", arguments->watched,
                        "a prefix whose traffic to watch (a peer, VPN or VPC range); repeat for more")
        ->type_name("CIDR")
        ->required();
    command->add_option("-o,--output", arguments->output, "the recording (created mode 0600)")
        ->type_name("FILE")
        ->capture_default_str();
    command->add_option("--max-size", arguments->max_size,
                        "disk space for FILE and its rotations FILE.1, FILE.2 ... together")
        ->type_name("SIZE")
        ->capture_default_str();
    command->add_option("--max-files", arguments->max_files, "FILE and its rotations, at most")
        ->check(CLI::Range(1, 100))
        ->capture_default_str();
    command->add_option("--duration", arguments->duration,
                        "stop after this long (90s, 15m, 2h, 7d); default: until Ctrl-C or SIGTERM")
        ->type_name("D");
    add_place_options(*command, "record", arguments->netns, arguments->docker_host,
                      arguments->daemon_json);
    command->add_option("--on-incident", arguments->on_incident,
                        "run this shell command when an incident opens or resolves, with the "
                        "incident as JSON on its stdin (see README)")
        ->type_name("CMD");
    command->add_option("--on-incident-timeout", arguments->on_incident_timeout,
                        "seconds the command may take before it is killed")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    command->footer(R"(
Examples:
  pathwhy record --watch 172.31.0.0/16 -o /var/lib/pathwhy/vpc.rec
  pathwhy record --watch 192.168.0.0/16 --duration 7d --max-size 1G \
      --on-incident 'logger -t pathwhy-incident'
  systemctl enable --now pathwhy-record    (packaging/systemd/pathwhy-record.service)

Exit status: 0 stopped by Ctrl-C, SIGTERM or --duration; 2 could not record (the disk full
included: what was written is kept and readable).)");
    // For tests: created once recording has begun.
    command->add_option("--ready-file", arguments->ready_file)->group("");
    return {command, [arguments] { return run_record(*arguments); }};
}

}  // namespace pathwhy
