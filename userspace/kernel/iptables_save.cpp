// A small tokenizer (iptables-save quotes comments with double quotes and backslash escapes) and
// a walk over each rule's options, in the order iptables prints them.
#include "kernel/iptables_save.h"

#include <charconv>
#include <sstream>

namespace pathwhy {
namespace {

std::vector<std::string> tokens(std::string_view line) {
    std::vector<std::string> out;
    std::string current;
    bool in_token = false, quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '\\' && i + 1 < line.size()) {
                current += line[++i];
            } else if (c == '"') {
                quoted = false;
            } else {
                current += c;
            }
        } else if (c == '"') {
            quoted = in_token = true;
        } else if (c == ' ' || c == '\t') {
            if (in_token) out.push_back(std::move(current));
            current.clear();
            in_token = false;
        } else {
            current += c;
            in_token = true;
        }
    }
    if (in_token) out.push_back(std::move(current));
    return out;
}

std::optional<std::uint16_t> port(std::string_view text) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

// "8080" or "8000:8100"
std::optional<std::pair<std::uint16_t, std::uint16_t>> port_range(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) {
        auto single = port(text);
        if (!single) return std::nullopt;
        return std::pair{*single, *single};
    }
    auto low = port(text.substr(0, colon)), high = port(text.substr(colon + 1));
    if (!low || !high) return std::nullopt;
    return std::pair{*low, *high};
}

std::vector<std::string> comma_list(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string item; std::getline(in, item, ',');) out.push_back(item);
    return out;
}

// Walks one "-A CHAIN ..." line. `negate` holds a pending "!" for the next option.
class RuleParser {
  public:
    explicit RuleParser(std::vector<std::string> words) : words_(std::move(words)) {}

    FirewallRule parse(std::string_view line) {
        rule_.text = std::string(line);
        for (i_ = 0; i_ < words_.size(); ++i_) option(words_[i_]);
        return std::move(rule_);
    }

  private:
    const std::string& value() {
        static const std::string none;
        return i_ + 1 < words_.size() ? words_[++i_] : none;
    }

    void option(const std::string& word) {
        if (word == "!") {
            negate_ = true;
            return;
        }
        const bool negated = std::exchange(negate_, false);
        if (after_target_) return;  // the target's own options (--to-destination, --reject-with)
        if (word == "-A" || word == "--append") {
            rule_.chain = value();
        } else if (word == "-i" || word == "--in-interface") {
            rule_.in_interface = InterfaceMatch{value(), negated};
        } else if (word == "-o" || word == "--out-interface") {
            rule_.out_interface = InterfaceMatch{value(), negated};
        } else if (word == "-s" || word == "--source" || word == "-d" || word == "--destination") {
            auto prefix = Ipv4Cidr::parse(value());
            auto& slot = (word == "-s" || word == "--source") ? rule_.source : rule_.destination;
            if (prefix) {
                slot = AddressMatch{prefix->network(), negated};
            } else {
                rule_.unevaluated.push_back(word + " " + words_[i_]);
            }
        } else if (word == "-p" || word == "--protocol") {
            rule_.protocol = value();
            rule_.protocol_negated = negated;
        } else if (word == "-m" || word == "--match") {
            module_ = value();
            if (module_ != "tcp" && module_ != "udp" && module_ != "conntrack" &&
                module_ != "state" && module_ != "comment")
                rule_.unevaluated.push_back(module_);
        } else if (word == "-j" || word == "--jump" || word == "-g" || word == "--goto") {
            rule_.target = value();
            rule_.is_goto = word == "-g" || word == "--goto";
            after_target_ = true;
        } else if (word.starts_with("--")) {
            module_option(word, negated);
        } else if (word.starts_with("-")) {
            rule_.unevaluated.push_back(word);  // -f and other rare flags
        }
    }

    void module_option(const std::string& word, bool negated) {
        // Some module options are flags (tcp --syn): never swallow the next option as a value.
        const bool has_argument =
            i_ + 1 < words_.size() && !words_[i_ + 1].starts_with('-') && words_[i_ + 1] != "!";
        const std::string argument = has_argument ? value() : std::string{};
        if (module_ == "comment" ||
            (module_ != "tcp" && module_ != "udp" && module_ != "conntrack" && module_ != "state"))
            return;  // already listed as unevaluated (or harmless: a comment)
        if ((word == "--dport" || word == "--destination-port") && !negated) {
            if (auto range = port_range(argument)) {
                rule_.destination_ports = range;
                return;
            }
        } else if (word == "--ctstate" || word == "--state") {
            rule_.ct_states = comma_list(argument);
            rule_.ct_states_negated = negated;
            return;
        }
        rule_.unevaluated.push_back(module_ + " " + (negated ? "! " : "") + word);
    }

    std::vector<std::string> words_;
    std::size_t i_ = 0;
    FirewallRule rule_;
    std::string module_;
    bool negate_ = false;
    bool after_target_ = false;
};

}  // namespace

std::optional<NetfilterHook> builtin_chain_hook(std::string_view chain) {
    if (chain == "PREROUTING") return NetfilterHook::prerouting;
    if (chain == "INPUT") return NetfilterHook::local_in;
    if (chain == "FORWARD") return NetfilterHook::forward;
    if (chain == "OUTPUT") return NetfilterHook::local_out;
    if (chain == "POSTROUTING") return NetfilterHook::postrouting;
    return std::nullopt;
}

Ruleset parse_iptables_save(std::string_view text) {
    Ruleset ruleset;
    ruleset.source = "iptables-save";
    FirewallTable* table = nullptr;
    std::istringstream lines{std::string(text)};
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.starts_with('*')) {
            table = &ruleset.tables.emplace_back();
            table->name = line.substr(1);
        } else if (line.starts_with(':') && table) {
            // ":FORWARD DROP [0:0]" or ":DOCKER - [0:0]"
            auto words = tokens(std::string_view(line).substr(1));
            if (words.empty()) continue;
            FirewallChain chain;
            chain.name = words[0];
            if (words.size() > 1 && words[1] != "-") chain.policy = words[1];
            chain.hook = builtin_chain_hook(chain.name);
            if (chain.hook) chain.priority = iptables_table_priority(table->name, *chain.hook);
            table->chains.push_back(std::move(chain));
        } else if (line.starts_with("-A ") && table) {
            FirewallRule rule = RuleParser(tokens(line)).parse(line);
            for (auto& chain : table->chains)
                if (chain.name == rule.chain) chain.rules.push_back(std::move(rule));
        }
    }
    return ruleset;
}

}  // namespace pathwhy
