// Which live changes matter to the watched prefixes: whether to keep a change in the recording
// at all, and whether it could change how a watched address is routed — then the recorder takes
// a fresh snapshot, so that the explainer sees the new state. Pure.
#pragma once

#include <vector>

#include "model/conntrack_entry.h"
#include "model/docker_event.h"
#include "model/ipv4.h"
#include "model/kernel_change.h"
#include "model/observed_event.h"

namespace pathwhy {

bool watched_address(Ipv4Address address, const std::vector<Ipv4Cidr>& watched);
bool overlaps_watched(const Ipv4Cidr& prefix, const std::vector<Ipv4Cidr>& watched);

// Neighbour churn is kept only for watched addresses; every link, address, route and rule
// change is kept (they are rare, and they are the story).
bool worth_recording(const KernelChange& change, const std::vector<Ipv4Cidr>& watched);
// A route or address overlapping a watched prefix (the default route overlaps every prefix),
// any policy rule, a watched neighbour failing.
bool calls_for_snapshot(const KernelChange& change, const std::vector<Ipv4Cidr>& watched);
// A network event for a network with a subnet overlapping a watched prefix, or one we could not
// inspect (it may have).
bool calls_for_snapshot(const DockerEvent& event, const std::vector<Ipv4Cidr>& watched);
// A route lookup that carried no packet: `ip route get`, or the recorder's own question to the
// kernel for a snapshot (RTM_GETROUTE builds a portless UDP flow from 0.0.0.0). Not traffic, and
// not recorded as such.
bool is_route_query(const ObservedEvent& event);
// Either side of either tuple in a watched prefix.
bool involves_watched(const ConntrackEntry& entry, const std::vector<Ipv4Cidr>& watched);

}  // namespace pathwhy
