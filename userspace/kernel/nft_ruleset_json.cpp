#include "kernel/nft_ruleset_json.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "common/error.h"

namespace pathwhy {
namespace {

using nlohmann::json;

std::string text_of(const json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

std::optional<NetfilterHook> hook_named(const std::string& name) {
    if (name == "prerouting") return NetfilterHook::prerouting;
    if (name == "input") return NetfilterHook::local_in;
    if (name == "forward") return NetfilterHook::forward;
    if (name == "output") return NetfilterHook::local_out;
    if (name == "postrouting") return NetfilterHook::postrouting;
    return std::nullopt;
}

// nft writes interface wildcards as "br-*"; iptables as "br+".
std::string interface_name(const json& right) {
    if (!right.is_string()) return {};
    std::string name = right.get<std::string>();
    if (name.ends_with('*')) name.back() = '+';
    return name;
}

std::optional<Ipv4Cidr> prefix_of(const json& right) {
    if (right.is_string()) return Ipv4Cidr::parse(right.get<std::string>());
    if (right.is_object() && right.contains("prefix")) {
        const json& prefix = right["prefix"];
        if (prefix.contains("addr") && prefix["addr"].is_string() && prefix.contains("len") &&
            prefix["len"].is_number_integer())
            if (auto cidr = Ipv4Cidr::parse(prefix["addr"].get<std::string>() + "/" +
                                            std::to_string(prefix["len"].get<int>())))
                return cidr->network();
    }
    return std::nullopt;
}

std::optional<std::pair<std::uint16_t, std::uint16_t>> ports_of(const json& right) {
    auto in_range = [](const json& v) { return v.is_number_integer() && v >= 0 && v <= 65535; };
    if (in_range(right)) return std::pair{right.get<std::uint16_t>(), right.get<std::uint16_t>()};
    if (right.is_object() && right.contains("range") && right["range"].is_array() &&
        right["range"].size() == 2 && in_range(right["range"][0]) && in_range(right["range"][1]))
        return std::pair{right["range"][0].get<std::uint16_t>(),
                         right["range"][1].get<std::uint16_t>()};
    return std::nullopt;
}

std::vector<std::string> states_of(const json& right) {
    std::vector<std::string> states;
    auto add = [&](const json& v) {
        if (v.is_string()) states.push_back(upper(v.get<std::string>()));
    };
    if (right.is_array()) {
        for (const auto& v : right) add(v);
    } else if (right.is_object() && right.contains("set") && right["set"].is_array()) {
        for (const auto& v : right["set"]) add(v);
    } else {
        add(right);
    }
    return states;
}

// One {"match": {...}} expression; false when it is none pathwhy evaluates.
bool take_match(const json& match, FirewallRule& rule) {
    if (!match.is_object() || !match.contains("left") || !match.contains("right")) return false;
    const json& left = match["left"];
    const json& right = match["right"];
    const std::string op = text_of(match, "op");
    const bool negated = op == "!=";
    if (!negated && op != "==" && op != "in") return false;
    if (left.contains("meta")) {
        const std::string key = text_of(left["meta"], "key");
        if (key == "iifname" || key == "oifname") {
            InterfaceMatch interface { interface_name(right), negated };
            if (interface.name.empty()) return false;
            (key == "iifname" ? rule.in_interface : rule.out_interface) = interface;
            return true;
        }
        if (key == "l4proto" && right.is_string()) {
            rule.protocol = right.get<std::string>();
            rule.protocol_negated = negated;
            return true;
        }
        return false;
    }
    if (left.contains("payload")) {
        const json& payload = left["payload"];
        const std::string protocol = text_of(payload, "protocol");
        const std::string field = text_of(payload, "field");
        if (protocol == "ip" && (field == "saddr" || field == "daddr")) {
            auto prefix = prefix_of(right);
            if (!prefix) return false;
            (field == "saddr" ? rule.source : rule.destination) = AddressMatch{*prefix, negated};
            return true;
        }
        if (protocol == "ip" && field == "protocol" && right.is_string()) {
            rule.protocol = right.get<std::string>();
            rule.protocol_negated = negated;
            return true;
        }
        if ((protocol == "tcp" || protocol == "udp") && field == "dport" && !negated) {
            auto ports = ports_of(right);
            if (!ports) return false;
            if (rule.protocol.empty()) rule.protocol = protocol;
            rule.destination_ports = ports;
            return true;
        }
        return false;
    }
    if (left.contains("ct") && text_of(left["ct"], "key") == "state") {
        rule.ct_states = states_of(right);
        rule.ct_states_negated = negated;
        return !rule.ct_states.empty();
    }
    return false;
}

std::string describe_unevaluated(const std::string& kind, const json& value) {
    if (kind == "xt" && value.is_object()) return "xt " + text_of(value, "name");
    if (kind == "match" && value.is_object() && value.contains("left") &&
        value["left"].is_object() && !value["left"].empty())
        return "match " + value["left"].begin().key();
    return kind;
}

// Verdicts end the expression list; other statements (counter, log, mark) do not decide.
void take_statement(const std::string& kind, const json& value, FirewallRule& rule) {
    if (kind == "jump" || kind == "goto") {
        rule.target = text_of(value, "target");
        rule.is_goto = kind == "goto";
    } else if (kind == "accept" || kind == "drop" || kind == "reject" || kind == "return" ||
               kind == "masquerade" || kind == "dnat" || kind == "snat" || kind == "redirect") {
        rule.target = upper(kind);
    } else if (kind == "xt" && text_of(value, "type") == "target") {
        rule.target = text_of(value, "name");  // an iptables target nft cannot show (DNAT, ...)
    } else if (kind == "log" && rule.target.empty()) {
        rule.target = "LOG";
    } else if (kind != "counter") {
        rule.unevaluated.push_back(describe_unevaluated(kind, value));
    }
}

std::string spelled(const InterfaceMatch& m, const char* flag) {
    return std::string(m.negated ? " ! " : " ") + flag + " " + m.name;
}

std::string spelled(const AddressMatch& m, const char* flag) {
    return std::string(m.negated ? " ! " : " ") + flag + " " + m.prefix.str();
}

std::string iptables_spelling(const FirewallRule& rule) {
    std::string text = "-A " + rule.chain;
    if (rule.source) text += spelled(*rule.source, "-s");
    if (rule.destination) text += spelled(*rule.destination, "-d");
    if (rule.in_interface) text += spelled(*rule.in_interface, "-i");
    if (rule.out_interface) text += spelled(*rule.out_interface, "-o");
    if (!rule.protocol.empty()) text += (rule.protocol_negated ? " ! -p " : " -p ") + rule.protocol;
    if (rule.destination_ports) {
        const auto [low, high] = *rule.destination_ports;
        text += " --dport " + std::to_string(low) + (low == high ? "" : ":" + std::to_string(high));
    }
    if (!rule.ct_states.empty()) {
        text += rule.ct_states_negated ? " -m conntrack ! --ctstate " : " -m conntrack --ctstate ";
        for (std::size_t i = 0; i < rule.ct_states.size(); ++i)
            text += (i ? "," : "") + rule.ct_states[i];
    }
    for (const auto& other : rule.unevaluated) text += " [" + other + "]";
    if (!rule.target.empty()) text += (rule.is_goto ? " -g " : " -j ") + rule.target;
    return text;
}

FirewallRule rule_from(const json& object) {
    FirewallRule rule;
    rule.chain = text_of(object, "chain");
    auto expressions = object.find("expr");
    if (expressions != object.end() && expressions->is_array()) {
        for (const auto& expression : *expressions) {
            if (!expression.is_object() || expression.empty()) continue;
            const std::string kind = expression.begin().key();
            const json& value = expression.begin().value();
            if (kind == "match") {
                if (!take_match(value, rule))
                    rule.unevaluated.push_back(describe_unevaluated(kind, value));
            } else {
                take_statement(kind, value, rule);
            }
        }
    }
    rule.text = iptables_spelling(rule);
    return rule;
}

}  // namespace

Ruleset parse_nft_ruleset_json(std::string_view text) {
    const json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded() || !document.is_object() || !document.contains("nftables") ||
        !document["nftables"].is_array())
        throw Error("read the nftables ruleset", "nft -j did not print nft's JSON");
    Ruleset ruleset;
    ruleset.source = "nft -j list ruleset";
    auto table_named = [&](const std::string& name) -> FirewallTable& {
        for (auto& table : ruleset.tables)
            if (table.name == name) return table;
        FirewallTable& table = ruleset.tables.emplace_back();
        table.name = name;
        return table;
    };
    for (const auto& item : document["nftables"]) {
        if (!item.is_object() || item.empty()) continue;
        const std::string kind = item.begin().key();
        const json& value = item.begin().value();
        const std::string family = text_of(value, "family");
        if (family != "ip" && family != "inet") continue;
        // The family keeps an inet table apart from an ip one of the same name.
        const std::string table =
            family == "ip" ? text_of(value, "table") : "inet " + text_of(value, "table");
        if (kind == "table") {
            table_named(family == "ip" ? text_of(value, "name") : "inet " + text_of(value, "name"));
        } else if (kind == "chain") {
            FirewallChain chain;
            chain.name = text_of(value, "name");
            chain.hook = hook_named(text_of(value, "hook"));
            if (chain.hook) {
                chain.policy = upper(text_of(value, "policy"));
                if (chain.policy.empty()) chain.policy = "ACCEPT";
                if (value.contains("prio") && value["prio"].is_number_integer())
                    chain.priority = value["prio"].get<int>();
            }
            table_named(table).chains.push_back(std::move(chain));
        } else if (kind == "rule") {
            FirewallRule rule = rule_from(value);
            for (auto& chain : table_named(table).chains)
                if (chain.name == rule.chain) chain.rules.push_back(std::move(rule));
        }
    }
    return ruleset;
}

}  // namespace pathwhy
