#include "cli/scan_command.h"

#include <cstdio>
#include <memory>

#include "cli/diagnose_command.h"
#include "cli/place_options.h"
#include "cli/terminal.h"
#include "common/error.h"
#include "explain/scan.h"
#include "report/scan_report.h"
#include "snapshot/live_snapshot.h"

namespace pathwhy {

namespace {

std::vector<Ipv4Cidr> parse_peers(const std::vector<std::string>& texts) {
    std::vector<Ipv4Cidr> peers;
    for (const auto& text : texts) {
        auto cidr = Ipv4Cidr::parse(text);
        if (!cidr || text == "default" || cidr->length == 0)
            throw Error("scan", "--peer '" + text + "' is not an IPv4 range",
                        "e.g. --peer 172.31.0.0/16 for a VPC, --peer 10.8.0.0/16 for a VPN");
        peers.push_back(cidr->network());
    }
    return peers;
}

}  // namespace

int run_scan(const ScanOptions& options) {
    const std::vector<Ipv4Cidr> peers = parse_peers(options.peers);
    LiveSnapshotRequest request =
        snapshot_request(options.netns, options.docker_host, options.daemon_json);
    request.conntrack = ConntrackFilter{};
    const Snapshot snapshot = take_live_snapshot(request);
    const ScanResult result = scan_snapshot(snapshot, peers);
    if (options.json)
        std::printf("%s\n", scan_to_json(result, context_of(snapshot)).dump(2).c_str());
    else
        std::fputs(render_scan_text(result, TextStyle{use_color(stdout)}).c_str(), stdout);
    std::fflush(stdout);
    return result.clean() ? kExitHealthy : kExitProblem;
}

Command add_scan_command(CLI::App& app) {
    auto options = std::make_shared<ScanOptions>();
    CLI::App* scan = app.add_subcommand(
        "scan",
        "check this host (or --netns) for every known trap, with no destination: leaked compose "
        "networks, Docker subnets overlapping a route or a --peer range, conntrack entries that "
        "hold an old NAT for a published port");
    scan->add_option("--peer", options->peers,
                     "a peer, VPN or VPC range this host must reach (CIDR); repeat for more")
        ->type_name("CIDR");
    add_place_options(*scan, "scan", options->netns, options->docker_host, options->daemon_json);
    scan->add_flag("--json", options->json, "print the result as JSON (stable format, see README)");
    scan->footer(R"(
Examples:
  pathwhy scan                                   leaked networks, route overlaps, stale NAT
  pathwhy scan --peer 172.31.0.0/16 --peer 10.8.0.0/16 --json
                                                 ... and overlaps with the VPC and VPN ranges

Exit status: 0 nothing found, 1 something found, 2 could not scan.)");
    return {scan, [options] { return run_scan(*options); }};
}

}  // namespace pathwhy
