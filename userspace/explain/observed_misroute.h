// route-into-docker-bridge as the packet trace shows it, with its direction. "outbound": this
// host's own packets to the destination were looked up into a Docker bridge (seed 000).
// "reply": packets FROM the destination arrived — inbound works — but the route lookup for the
// answers chose a Docker bridge (seeds 002, 004), which the static check cannot tell apart from
// the outbound case, and can miss altogether when policy routing picks the bridge only for the
// replies' source address. The observed evidence is added to the static finding, or makes the
// finding when the static check found the route healthy.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "explain/diagnosis.h"
#include "explain/docker_bridges.h"
#include "model/snapshot.h"

namespace pathwhy {

struct ObservedMisroute {
    std::string direction;  // "outbound" | "reply"
    int bridge_ifindex = 0;
    BridgeOwner owner;
    // The reply's source: the address the destination's packets were sent to (reply only).
    std::optional<Ipv4Address> reply_source;
    std::vector<std::string> evidence;
};

// The one test of a misroute in a packet trace, used by the explainer and by `pathwhy report`:
// the Docker bridge a successful route lookup chose for its packet's destination, when that
// destination does not live on the bridge's network (a container's own address belongs there).
// nullopt for any other event, a failed lookup, and an address check (a local-table lookup that
// asks whether an address is this host's: it routes nothing).
std::optional<BridgeOwner> misrouted_lookup(const Snapshot& snapshot, const ObservedEvent& event);

// nullopt when no observed lookup or packet to `destination` went into a Docker bridge that the
// destination does not live on.
std::optional<ObservedMisroute> find_observed_misroute(const Snapshot& snapshot,
                                                       Ipv4Address destination,
                                                       const ObservedPath& path);

// Gives the static route-into-docker-bridge finding its direction and the observed evidence, or
// adds the finding (first, critical) when there was none.
void merge_observed_misroute(const Snapshot& snapshot, Ipv4Address destination,
                             const ObservedMisroute& misroute, Diagnosis& diagnosis);

}  // namespace pathwhy
