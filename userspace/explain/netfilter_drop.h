// netfilter-drop: packets that entered a netfilter hook and never left it. Names the hook, the
// tables registered in it between the tracer's two programs (raw -300, mangle -150, filter 0,
// security 50 ...), and — when the namespace's ruleset could be read — the rule or policy that
// most likely dropped the packet, with what Docker means by its chains: isolation between bridge
// networks, the FORWARD policy DROP, DOCKER-USER (the user's own), direct routing to containers.
//
// A missing exit alone is no proof. A drop is critical when the kernel confirms it (the packet
// freed with NETFILTER_DROP inside the hook); without the drops view it is a warning that says
// why it could not be confirmed; and a packet whose next event may just not have been seen — in
// the last second of the events, or while events were lost — or that the drops view saw no drop
// for, is no drop at all: it is counted, with why, and not reported as one.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "explain/diagnosis.h"
#include "model/observation.h"
#include "model/snapshot.h"

namespace pathwhy {

// How close to the end of the events an entry may be for its exit to be still unseen.
inline constexpr std::uint64_t kUnfinishedTailNs = 1'000'000'000;

struct NetfilterDrops {
    std::vector<Finding> findings;  // one per place (hook, devices, rule) where packets died
    std::vector<UnfinishedPacket> unfinished;  // entries without exit that are not drops
};

NetfilterDrops netfilter_drops(const Snapshot& snapshot, const ObservedPath& path,
                               const Observation& observation);

using UnfinishedCounts = std::map<UnfinishedPacket::Cause, std::size_t>;
UnfinishedCounts count_by_cause(const std::vector<UnfinishedPacket>& unfinished);
// One sentence on the packets not counted as drops, by cause, for a diagnosis's notes and a
// report's remarks; none when there are none (those still to be judged are not told).
std::optional<std::string> unfinished_summary(const UnfinishedCounts& counts);

}  // namespace pathwhy
