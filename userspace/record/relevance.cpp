#include "record/relevance.h"

#include <linux/neighbour.h>
#include <netinet/in.h>

#include <algorithm>

namespace pathwhy {

bool watched_address(Ipv4Address address, const std::vector<Ipv4Cidr>& watched) {
    return std::any_of(watched.begin(), watched.end(),
                       [&](const Ipv4Cidr& prefix) { return prefix.contains(address); });
}

bool overlaps_watched(const Ipv4Cidr& prefix, const std::vector<Ipv4Cidr>& watched) {
    return std::any_of(watched.begin(), watched.end(),
                       [&](const Ipv4Cidr& w) { return w.overlaps(prefix.network()); });
}

bool worth_recording(const KernelChange& change, const std::vector<Ipv4Cidr>& watched) {
    if (const auto* neighbour = std::get_if<Neighbour>(&change.object))
        return watched_address(neighbour->address, watched);
    return true;
}

bool calls_for_snapshot(const KernelChange& change, const std::vector<Ipv4Cidr>& watched) {
    return std::visit(
        [&](const auto& object) {
            using T = std::decay_t<decltype(object)>;
            if constexpr (std::is_same_v<T, Route>)
                return overlaps_watched(object.destination, watched);
            if constexpr (std::is_same_v<T, Address>) return overlaps_watched(object.cidr, watched);
            if constexpr (std::is_same_v<T, Rule>) return true;
            if constexpr (std::is_same_v<T, Neighbour>)
                return watched_address(object.address, watched) && (object.state & NUD_FAILED);
            return false;
        },
        change.object);
}

bool calls_for_snapshot(const DockerEvent& event, const std::vector<Ipv4Cidr>& watched) {
    if (event.type != "network") return false;
    if (!event.network) return true;
    return std::any_of(event.network->ipam.begin(), event.network->ipam.end(),
                       [&](const IpamConfig& ipam) {
                           return ipam.subnet && overlaps_watched(*ipam.subnet, watched);
                       });
}

bool is_route_query(const ObservedEvent& event) {
    return event.kind == ObservedEvent::Kind::route_lookup && event.packet.source.value == 0 &&
           event.packet.protocol == IPPROTO_UDP && event.packet.source_port == 0 &&
           event.packet.destination_port == 0;
}

bool involves_watched(const ConntrackEntry& entry, const std::vector<Ipv4Cidr>& watched) {
    for (const FlowTuple* tuple : {&entry.original, &entry.reply})
        if (watched_address(tuple->source, watched) || watched_address(tuple->destination, watched))
            return true;
    return false;
}

}  // namespace pathwhy
