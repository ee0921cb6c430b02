#include "kernel/ruleset_reader.h"

#include "common/error.h"
#include "common/tool_output.h"
#include "kernel/iptables_save.h"
#include "kernel/nft_ruleset_json.h"

namespace pathwhy {
namespace {

// iptables-nft-save prints this when the legacy backend also holds rules in this namespace.
constexpr std::string_view kLegacyWarning = "iptables-legacy tables present";

std::string failure(const std::string& tool, const ToolOutput& output) {
    if (!output.started) return tool + " is not installed";
    if (output.timed_out) return tool + " did not answer within 5 s";
    std::string line = output.err.substr(0, output.err.find('\n'));
    return tool + " failed" + (line.empty() ? "" : ": " + line);
}

}  // namespace

Ruleset read_ruleset() {
    const ToolOutput saved = read_tool_output({"iptables-save"});
    Ruleset ruleset;
    if (saved.ok()) ruleset = parse_iptables_save(saved.out);
    if (saved.ok() && (saved.out + saved.err).find(kLegacyWarning) != std::string::npos) {
        const ToolOutput legacy = read_tool_output({"iptables-legacy-save"});
        if (legacy.ok()) {
            for (auto& table : parse_iptables_save(legacy.out).tables)
                ruleset.tables.push_back(std::move(table));
            ruleset.source += " + iptables-legacy-save";
        }
    }
    if (!ruleset.tables.empty()) return ruleset;

    const ToolOutput nft = read_tool_output({"nft", "-j", "list", "ruleset"});
    if (nft.ok()) {
        try {
            Ruleset from_nft = parse_nft_ruleset_json(nft.out);
            if (!from_nft.tables.empty() || !saved.ok()) return from_nft;
        } catch (const Error& e) {
            ruleset.error = e.what();
            return ruleset;
        }
    }
    if (saved.ok()) return ruleset;  // read fine: this namespace has no IPv4 rules
    ruleset.error = failure("iptables-save", saved) + "; " + failure("nft", nft);
    return ruleset;
}

}  // namespace pathwhy
