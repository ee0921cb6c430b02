// Enumerations are written by name ("unicast", "to_table"), not number, so a recording stays
// readable if the model's enums are ever reordered.
#include "record/kernel_json.h"

#include "record/json_fields.h"

namespace pathwhy::record_json {
namespace {

RouteType route_type_from(const json& j, const char* key) {
    return named(j, key,
                 {RouteType::unicast, RouteType::local, RouteType::broadcast, RouteType::multicast,
                  RouteType::anycast, RouteType::unreachable, RouteType::blackhole,
                  RouteType::prohibit, RouteType::throw_, RouteType::nat, RouteType::other},
                 route_type_name, RouteType::unicast);
}

std::string rule_action_name(RuleAction action) {
    switch (action) {
        case RuleAction::to_table: return "to_table";
        case RuleAction::goto_rule: return "goto";
        case RuleAction::nop: return "nop";
        case RuleAction::blackhole: return "blackhole";
        case RuleAction::unreachable: return "unreachable";
        case RuleAction::prohibit: return "prohibit";
        case RuleAction::other: return "other";
    }
    return "other";
}

RuleAction rule_action_from(const json& j, const char* key) {
    return named(j, key,
                 {RuleAction::to_table, RuleAction::goto_rule, RuleAction::nop,
                  RuleAction::blackhole, RuleAction::unreachable, RuleAction::prohibit,
                  RuleAction::other},
                 rule_action_name, RuleAction::to_table);
}

json link_to_json(const Link& link) {
    json j = json::object();
    put(j, "ifindex", link.ifindex);
    put(j, "name", link.name);
    put(j, "kind", link.kind);
    put(j, "master", link.master_ifindex);
    put(j, "up", link.admin_up);
    put(j, "carrier", link.carrier);
    put(j, "operstate", link.operstate);
    put(j, "mtu", link.mtu);
    put(j, "mac", link.mac);
    return j;
}

Link link_from_json(const json& j) {
    Link link;
    link.ifindex = integer<int>(j, "ifindex");
    link.name = text(j, "name");
    link.kind = text(j, "kind");
    link.master_ifindex = integer<int>(j, "master");
    link.admin_up = boolean(j, "up");
    link.carrier = boolean(j, "carrier");
    link.operstate = text(j, "operstate");
    link.mtu = integer<std::uint32_t>(j, "mtu");
    link.mac = text(j, "mac");
    return link;
}

json address_to_json(const Address& address) {
    json j = {{"cidr", address.cidr.str()}};
    put(j, "ifindex", address.ifindex);
    put(j, "label", address.label);
    put(j, "scope", address.scope);
    return j;
}

Address address_from_json(const json& j) {
    Address address;
    address.ifindex = integer<int>(j, "ifindex");
    address.cidr = cidr(j, "cidr").value_or(Ipv4Cidr{});
    address.label = text(j, "label");
    address.scope = integer<std::uint8_t>(j, "scope");
    return address;
}

json nexthop_to_json(const Nexthop& hop) {
    json j = json::object();
    put(j, "gateway", hop.gateway);
    put(j, "ifindex", hop.ifindex);
    j["weight"] = hop.weight;
    put(j, "linkdown", hop.linkdown);
    return j;
}

Nexthop nexthop_from_json(const json& j) {
    Nexthop hop;
    hop.gateway = address(j, "gateway");
    hop.ifindex = integer<int>(j, "ifindex");
    hop.weight = integer<int>(j, "weight", 1);
    hop.linkdown = boolean(j, "linkdown");
    return hop;
}

json route_to_json(const Route& route) {
    json j = {{"table", route.table}, {"dst", route.destination.str()}};
    if (route.type != RouteType::unicast) j["type"] = route_type_name(route.type);
    put(j, "protocol", route.protocol);
    put(j, "scope", route.scope);
    put(j, "tos", route.tos);
    put(j, "metric", route.metric);
    put(j, "gateway", route.gateway);
    put(j, "oif", route.oif);
    put(j, "prefsrc", route.prefsrc);
    put(j, "linkdown", route.linkdown);
    put_array(j, "multipath", route.multipath, nexthop_to_json);
    return j;
}

Route route_from_json(const json& j) {
    Route route;
    route.table = integer<std::uint32_t>(j, "table", kTableMain);
    route.destination = cidr(j, "dst").value_or(Ipv4Cidr{Ipv4Address{}, 0});
    route.type = route_type_from(j, "type");
    route.protocol = integer<std::uint8_t>(j, "protocol");
    route.scope = integer<std::uint8_t>(j, "scope");
    route.tos = integer<std::uint8_t>(j, "tos");
    route.metric = integer<std::uint32_t>(j, "metric");
    route.gateway = address(j, "gateway");
    route.oif = integer<int>(j, "oif");
    route.prefsrc = address(j, "prefsrc");
    route.linkdown = boolean(j, "linkdown");
    route.multipath = array(j, "multipath", nexthop_from_json);
    return route;
}

json rule_to_json(const Rule& rule) {
    json j = {{"priority", rule.priority}, {"table", rule.table}};
    if (rule.action != RuleAction::to_table) j["action"] = rule_action_name(rule.action);
    put(j, "invert", rule.invert);
    put(j, "from", rule.source);
    put(j, "to", rule.destination);
    put(j, "fwmark", rule.fwmark);
    put(j, "fwmask", rule.fwmask);
    put(j, "iif", rule.iif);
    put(j, "oif", rule.oif);
    put(j, "tos", rule.tos);
    if (rule.suppress_prefixlength) j["suppress_prefixlength"] = *rule.suppress_prefixlength;
    if (rule.ip_proto) j["ip_proto"] = *rule.ip_proto;
    put(j, "goto", rule.goto_target);
    return j;
}

Rule rule_from_json(const json& j) {
    Rule rule;
    rule.priority = integer<std::uint32_t>(j, "priority");
    rule.action = rule_action_from(j, "action");
    rule.table = integer<std::uint32_t>(j, "table");
    rule.invert = boolean(j, "invert");
    rule.source = cidr(j, "from");
    rule.destination = cidr(j, "to");
    rule.fwmark = integer<std::uint32_t>(j, "fwmark");
    rule.fwmask = integer<std::uint32_t>(j, "fwmask");
    rule.iif = text(j, "iif");
    rule.oif = text(j, "oif");
    rule.tos = integer<std::uint8_t>(j, "tos");
    if (field(j, "suppress_prefixlength"))
        rule.suppress_prefixlength = integer<std::uint32_t>(j, "suppress_prefixlength");
    if (field(j, "ip_proto")) rule.ip_proto = integer<std::uint8_t>(j, "ip_proto");
    rule.goto_target = integer<std::uint32_t>(j, "goto");
    return rule;
}

json neighbour_to_json(const Neighbour& neighbour) {
    json j = {{"address", neighbour.address.str()}};
    put(j, "ifindex", neighbour.ifindex);
    put(j, "lladdr", neighbour.lladdr);
    put(j, "state", neighbour.state);
    return j;
}

Neighbour neighbour_from_json(const json& j) {
    Neighbour neighbour;
    neighbour.ifindex = integer<int>(j, "ifindex");
    neighbour.address = address(j, "address").value_or(Ipv4Address{});
    neighbour.lladdr = text(j, "lladdr");
    neighbour.state = integer<std::uint16_t>(j, "state");
    return neighbour;
}

}  // namespace

json kernel_state_to_json(const KernelState& state) {
    json j = json::object();
    put(j, "netns_inode", state.netns_inode);
    put_array(j, "links", state.links, link_to_json);
    put_array(j, "addresses", state.addresses, address_to_json);
    put_array(j, "routes", state.routes, route_to_json);
    put_array(j, "rules", state.rules, rule_to_json);
    put_array(j, "neighbours", state.neighbours, neighbour_to_json);
    return j;
}

KernelState kernel_state_from_json(const json& j) {
    KernelState state;
    state.netns_inode = integer<std::uint64_t>(j, "netns_inode");
    state.links = array(j, "links", link_from_json);
    state.addresses = array(j, "addresses", address_from_json);
    state.routes = array(j, "routes", route_from_json);
    state.rules = array(j, "rules", rule_from_json);
    state.neighbours = array(j, "neighbours", neighbour_from_json);
    return state;
}

json route_answer_to_json(const KernelRouteAnswer& answer) {
    json j = json::object();
    put(j, "error", answer.error);
    if (answer.type != RouteType::unicast) j["type"] = route_type_name(answer.type);
    put(j, "table", answer.table);
    put(j, "matched", answer.matched_prefix);
    put(j, "gateway", answer.gateway);
    put(j, "oif", answer.oif);
    put(j, "prefsrc", answer.prefsrc);
    return j;
}

KernelRouteAnswer route_answer_from_json(const json& j) {
    KernelRouteAnswer answer;
    answer.error = integer<int>(j, "error");
    answer.type = route_type_from(j, "type");
    answer.table = integer<std::uint32_t>(j, "table");
    answer.matched_prefix = cidr(j, "matched");
    answer.gateway = address(j, "gateway");
    answer.oif = integer<int>(j, "oif");
    answer.prefsrc = address(j, "prefsrc");
    return answer;
}

json kernel_change_to_json(const KernelChange& change) {
    json j = {{"action", kernel_change_action_name(change.action)},
              {"object", change.object_name()}};
    j["value"] = std::visit(
        [](const auto& object) -> json {
            using T = std::decay_t<decltype(object)>;
            if constexpr (std::is_same_v<T, Link>) return link_to_json(object);
            if constexpr (std::is_same_v<T, Address>) return address_to_json(object);
            if constexpr (std::is_same_v<T, Route>) return route_to_json(object);
            if constexpr (std::is_same_v<T, Rule>) return rule_to_json(object);
            if constexpr (std::is_same_v<T, Neighbour>) return neighbour_to_json(object);
        },
        change.object);
    return j;
}

KernelChange kernel_change_from_json(const json& j) {
    KernelChange change;
    change.action = named(j, "action", {KernelChange::Action::updated, KernelChange::Action::removed},
                          kernel_change_action_name);
    const json* value = field(j, "value");
    if (!value) bad_field("value", "present");
    const std::string object = text(j, "object");
    if (object == "link") change.object = link_from_json(*value);
    else if (object == "address") change.object = address_from_json(*value);
    else if (object == "route") change.object = route_from_json(*value);
    else if (object == "rule") change.object = rule_from_json(*value);
    else if (object == "neighbour") change.object = neighbour_from_json(*value);
    else bad_field("object", "a kernel object kind");
    return change;
}

}  // namespace pathwhy::record_json
