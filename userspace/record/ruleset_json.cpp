#include "record/ruleset_json.h"

#include "record/json_fields.h"

namespace pathwhy::record_json {
namespace {

json interface_to_json(const std::optional<InterfaceMatch>& match) {
    if (!match) return nullptr;
    return {{"name", match->name}, {"negated", match->negated}};
}

std::optional<InterfaceMatch> interface_from_json(const json& j, const char* key) {
    const json* value = field(j, key);
    if (!value) return std::nullopt;
    return InterfaceMatch{text(*value, "name"), boolean(*value, "negated")};
}

json address_match_to_json(const std::optional<AddressMatch>& match) {
    if (!match) return nullptr;
    return {{"prefix", match->prefix.str()}, {"negated", match->negated}};
}

std::optional<AddressMatch> address_match_from_json(const json& j, const char* key) {
    const json* value = field(j, key);
    if (!value) return std::nullopt;
    return AddressMatch{cidr(*value, "prefix").value_or(Ipv4Cidr{}), boolean(*value, "negated")};
}

std::vector<std::string> strings(const json& j, const char* key) {
    return array(j, key, [key](const json& item) {
        if (!item.is_string()) bad_field(key, "a list of strings");
        return item.get<std::string>();
    });
}

json rule_to_json(const FirewallRule& rule) {
    json j = {{"chain", rule.chain}, {"text", rule.text}, {"target", rule.target}};
    if (rule.in_interface) j["in"] = interface_to_json(rule.in_interface);
    if (rule.out_interface) j["out"] = interface_to_json(rule.out_interface);
    if (rule.source) j["source"] = address_match_to_json(rule.source);
    if (rule.destination) j["destination"] = address_match_to_json(rule.destination);
    put(j, "protocol", rule.protocol);
    put(j, "protocol_negated", rule.protocol_negated);
    if (!rule.ct_states.empty()) j["ct_states"] = rule.ct_states;
    put(j, "ct_states_negated", rule.ct_states_negated);
    if (rule.destination_ports)
        j["dports"] = {{"from", rule.destination_ports->first}, {"to", rule.destination_ports->second}};
    if (!rule.unevaluated.empty()) j["unevaluated"] = rule.unevaluated;
    put(j, "goto", rule.is_goto);
    return j;
}

FirewallRule rule_from_json(const json& j) {
    FirewallRule rule;
    rule.chain = text(j, "chain");
    rule.text = text(j, "text");
    rule.target = text(j, "target");
    rule.in_interface = interface_from_json(j, "in");
    rule.out_interface = interface_from_json(j, "out");
    rule.source = address_match_from_json(j, "source");
    rule.destination = address_match_from_json(j, "destination");
    rule.protocol = text(j, "protocol");
    rule.protocol_negated = boolean(j, "protocol_negated");
    rule.ct_states = strings(j, "ct_states");
    rule.ct_states_negated = boolean(j, "ct_states_negated");
    if (const json* ports = field(j, "dports"))
        rule.destination_ports = {integer<std::uint16_t>(*ports, "from"),
                                  integer<std::uint16_t>(*ports, "to")};
    rule.unevaluated = strings(j, "unevaluated");
    rule.is_goto = boolean(j, "goto");
    return rule;
}

json chain_to_json(const FirewallChain& chain) {
    json j = {{"name", chain.name}};
    put(j, "policy", chain.policy);
    if (chain.hook) j["hook"] = netfilter_hook_name(*chain.hook);
    put(j, "priority", chain.priority);
    put_array(j, "rules", chain.rules, rule_to_json);
    return j;
}

FirewallChain chain_from_json(const json& j) {
    FirewallChain chain;
    chain.name = text(j, "name");
    chain.policy = text(j, "policy");
    if (field(j, "hook"))
        chain.hook = named(j, "hook",
                           {NetfilterHook::prerouting, NetfilterHook::local_in,
                            NetfilterHook::forward, NetfilterHook::local_out,
                            NetfilterHook::postrouting},
                           netfilter_hook_name);
    chain.priority = integer<int>(j, "priority");
    chain.rules = array(j, "rules", rule_from_json);
    return chain;
}

json table_to_json(const FirewallTable& table) {
    json j = {{"name", table.name}};
    put_array(j, "chains", table.chains, chain_to_json);
    return j;
}

FirewallTable table_from_json(const json& j) {
    return {text(j, "name"), array(j, "chains", chain_from_json)};
}

}  // namespace

json ruleset_to_json(const Ruleset& ruleset) {
    json j = {{"source", ruleset.source}};
    put(j, "error", ruleset.error);
    put_array(j, "tables", ruleset.tables, table_to_json);
    return j;
}

Ruleset ruleset_from_json(const json& j) {
    return {text(j, "source"), text(j, "error"), array(j, "tables", table_from_json)};
}

}  // namespace pathwhy::record_json
