// `pathwhy scan`: every known trap on a host at once, with no destination to start from — leaked
// compose networks, Docker subnets overlapping a route or a named peer range, and conntrack
// entries that hold an old NAT for a published port. The findings are the diagnosis's own (same
// kinds, evidence, fix and prevent); the result says what was checked, so that a clean scan
// also says how much it covered. Pure, like the explainer.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "explain/diagnosis.h"
#include "explain/published_ports.h"
#include "model/snapshot.h"

namespace pathwhy {

struct ScanCoverage {
    std::size_t docker_networks = 0;
    std::size_t routes = 0;  // outside the local table
    std::vector<Ipv4Cidr> peers;
    std::vector<HostPort> ports;  // published now, or with DNATed entries to this host
    std::optional<std::size_t> conntrack_entries;  // nullopt when the table was not read
};

struct ScanResult {
    std::string headline;
    std::vector<Finding> findings;  // critical first
    std::vector<std::string> notes;
    ScanCoverage checked;

    bool clean() const { return findings.empty(); }
};

ScanResult scan_snapshot(const Snapshot& snapshot, const std::vector<Ipv4Cidr>& peers);

}  // namespace pathwhy
