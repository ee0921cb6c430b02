// Seed 003 as captured in a lab (tests/fixtures/conntrack/README.md): `conntrack -L -o extended`
// listings turned into ConntrackEntry values, and each capture's routes, Engine API answers and
// daemon.json into the Snapshot pathwhy took there — so unit tests explain the real tables.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/snapshot.h"

namespace pathwhy::test {

// Lines of `conntrack -L`, with or without `-o extended`, counters (packets=, bytes=) and
// timestamps (delta-time=, the age at `taken_at_unix`). Entries of unknown protocols are kept.
std::vector<ConntrackEntry> conntrack_entries_from_listing(const std::string& text,
                                                           std::int64_t taken_at_unix);

// The capture conntrack/<name>/: ip_route.txt, containers.json, networks.json, version.json,
// daemon.json, taken_at.txt and the listing `listing` (conntrack_L.txt before the fix,
// conntrack_L_fixed.txt after it). Taken in the lab's host namespace "pw-lab".
Snapshot seed003_snapshot(const std::string& name, const std::string& listing = "conntrack_L.txt");

}  // namespace pathwhy::test
