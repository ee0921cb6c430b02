#include "report/conntrack_json.h"

#include <netinet/in.h>

#include "model/conntrack_entry.h"
#include "model/ip_protocol.h"

namespace pathwhy {

namespace {

using nlohmann::json;

json tuple_to_json(const FlowTuple& tuple) {
    return {{"src", tuple.source.str()},
            {"dst", tuple.destination.str()},
            {"sport", tuple.source_port},
            {"dport", tuple.destination_port}};
}

json counters_to_json(const std::optional<ConntrackCounters>& counters) {
    if (!counters) return nullptr;
    return {{"packets", counters->packets}, {"bytes", counters->bytes}};
}

}  // namespace

json published_port_to_json(const std::optional<PublishedPortRef>& port) {
    if (!port) return nullptr;
    json container = nullptr;
    if (!port->container.empty())
        container = {
            {"name", port->container},
            {"id", port->container_id},
            {"ipv4", port->container_ipv4 ? json(port->container_ipv4->str()) : json(nullptr)},
            {"port", port->container_port},
            {"network", port->network.empty() ? json(nullptr) : json(port->network)},
        };
    return {{"host", port->host.str()},
            {"port", port->port},
            {"protocol", ip_protocol_name(port->protocol)},
            {"container", container}};
}

json conntrack_entry_to_json(const ConntrackEntry& entry) {
    const bool tcp = entry.original.protocol == IPPROTO_TCP;
    return {
        {"id", entry.id},
        {"protocol", ip_protocol_name(entry.original.protocol)},
        {"original", tuple_to_json(entry.original)},
        {"reply", tuple_to_json(entry.reply)},
        {"tcp_state", tcp ? json(tcp_conntrack_state_name(entry.tcp_state)) : json(nullptr)},
        {"status", conntrack_status_names(entry.status)},
        {"timeout_seconds", entry.timeout_seconds},
        {"mark", entry.mark},
        {"zone", entry.zone},
        {"counters_original", counters_to_json(entry.counters_original)},
        {"counters_reply", counters_to_json(entry.counters_reply)},
    };
}

json conntrack_to_json(const std::optional<ConntrackRef>& conntrack) {
    if (!conntrack) return nullptr;
    json entries = json::array();
    for (const StaleEntryRef& stale : conntrack->entries) {
        json entry = conntrack_entry_to_json(stale.entry);
        entry["age_seconds"] = stale.age_seconds ? json(*stale.age_seconds) : json(nullptr);
        entries.push_back(std::move(entry));
    }
    return {
        {"port", published_port_to_json(conntrack->port)},
        {"nat", stale_nat_id(conntrack->nat)},
        {"stale_target",
         {{"ipv4", conntrack->stale_address.str()},
          {"port", conntrack->stale_port},
          {"container",
           conntrack->stale_owner.empty() ? json(nullptr) : json(conntrack->stale_owner)}}},
        {"entries", entries},
    };
}

}  // namespace pathwhy
