#include "kernel/ruleset_reader.h"

#include <chrono>
#include <optional>

#include "common/error.h"
#include "common/process.h"
#include "kernel/iptables_save.h"
#include "kernel/nft_ruleset_json.h"

namespace pathwhy {
namespace {

// iptables-nft-save prints this when the legacy backend also holds rules in this namespace.
constexpr std::string_view kLegacyWarning = "iptables-legacy tables present";

// What a tool printed; nullopt when it could not be started (it is not installed). Ctrl-C does
// not cut a read short: the diagnosis it belongs to decides what to do with an interrupt.
std::optional<ProcessResult> read_tool_output(const std::vector<std::string>& argv) {
    try {
        return run_command(argv, uninterruptible(std::chrono::seconds(5)));
    } catch (const Error&) {
        return std::nullopt;
    }
}

bool succeeded(const std::optional<ProcessResult>& output) { return output && output->ok(); }

std::string failure(const std::string& tool, const std::optional<ProcessResult>& output) {
    if (!output) return tool + " is not installed";
    if (output->timed_out) return tool + " did not answer within 5 s";
    std::string line = output->err.substr(0, output->err.find('\n'));
    return tool + " failed" + (line.empty() ? "" : ": " + line);
}

}  // namespace

Ruleset read_ruleset() {
    const auto saved = read_tool_output({"iptables-save"});
    Ruleset ruleset;
    if (succeeded(saved)) ruleset = parse_iptables_save(saved->out);
    if (succeeded(saved) && (saved->out + saved->err).find(kLegacyWarning) != std::string::npos) {
        const auto legacy = read_tool_output({"iptables-legacy-save"});
        if (succeeded(legacy)) {
            for (auto& table : parse_iptables_save(legacy->out).tables)
                ruleset.tables.push_back(std::move(table));
            ruleset.source += " + iptables-legacy-save";
        }
    }
    if (!ruleset.tables.empty()) return ruleset;

    const auto nft = read_tool_output({"nft", "-j", "list", "ruleset"});
    if (succeeded(nft)) {
        try {
            Ruleset from_nft = parse_nft_ruleset_json(nft->out);
            if (!from_nft.tables.empty() || !succeeded(saved)) return from_nft;
        } catch (const Error& e) {
            ruleset.error = e.what();
            return ruleset;
        }
    }
    if (succeeded(saved)) return ruleset;  // read fine: this namespace has no IPv4 rules
    ruleset.error = failure("iptables-save", saved) + "; " + failure("nft", nft);
    return ruleset;
}

}  // namespace pathwhy
