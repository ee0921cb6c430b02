#include "explain/scan.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "explain/conntrack_nat.h"
#include "explain/docker_notes.h"
#include "explain/leaked_networks.h"
#include "explain/stale_conntrack.h"
#include "explain/subnet_overlaps.h"
#include "explain/target_explainer.h"

namespace pathwhy {

namespace {

// Published ports, and the ports of DNATed entries to this host that nothing publishes any more
// (their container is gone, and with it the only place that would name the port).
std::vector<HostPort> ports_to_check(const Snapshot& snapshot) {
    std::vector<HostPort> ports = published_host_ports(snapshot.docker);
    if (snapshot.conntrack)
        for (const ConntrackEntry& entry : snapshot.conntrack->entries) {
            const HostPort port{entry.original.destination_port, entry.original.protocol};
            if (entry.destination_translated() && addressed_to_host_port(snapshot, entry, port))
                ports.push_back(port);
        }
    std::sort(ports.begin(), ports.end());
    ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
    return ports;
}

std::string headline(const ScanResult& result) {
    if (result.clean()) return "no problems found";
    std::vector<std::string> kinds;
    std::map<std::string, int> counts;
    for (const auto& finding : result.findings)
        if (counts[finding.kind]++ == 0) kinds.push_back(finding.kind);
    std::string text;
    for (const auto& kind : kinds)
        text += fmt::format("{}{} {}", text.empty() ? "" : ", ", counts[kind], kind);
    return fmt::format("found {} problem{}: {}", result.findings.size(),
                       result.findings.size() == 1 ? "" : "s", text);
}

}  // namespace

ScanResult scan_snapshot(const Snapshot& snapshot, const std::vector<Ipv4Cidr>& peers) {
    ScanResult result;
    result.notes = docker_notes(snapshot.docker);
    if (auto note = conntrack_note(snapshot)) result.notes.push_back(*note);

    ScanCoverage& checked = result.checked;
    checked.docker_networks = snapshot.docker.networks.size();
    checked.routes = std::count_if(snapshot.kernel.routes.begin(), snapshot.kernel.routes.end(),
                                   [](const Route& route) { return route.table != kTableLocal; });
    checked.peers = peers;
    checked.ports = ports_to_check(snapshot);
    if (snapshot.conntrack && snapshot.conntrack->error.empty())
        checked.conntrack_entries = snapshot.conntrack->entries.size();

    auto add = [&](std::vector<Finding> findings) {
        for (auto& finding : findings) result.findings.push_back(std::move(finding));
    };
    for (const HostPort& port : checked.ports) add(stale_conntrack_findings(snapshot, port));
    add(peer_overlap_findings(snapshot, peers));
    add(route_overlap_findings(snapshot));
    add(leaked_network_findings(snapshot));
    std::stable_sort(result.findings.begin(), result.findings.end(),
                     [](const Finding& a, const Finding& b) { return a.severity > b.severity; });
    result.headline = headline(result);
    return result;
}

}  // namespace pathwhy
