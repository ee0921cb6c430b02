#include "scenario/expectation.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace pathwhy::scenario {
namespace {

std::vector<std::string> missing_from(const nlohmann::json& finding,
                                      const std::vector<std::string>& mentions) {
    const std::string text = finding.dump();
    std::vector<std::string> missing;
    for (const auto& name : mentions)
        if (text.find(name) == std::string::npos) missing.push_back(name);
    return missing;
}

}  // namespace

std::vector<std::string> unmet(const Expected& expected, const nlohmann::json& diagnosis) {
    const nlohmann::json findings = diagnosis.value("findings", nlohmann::json::array());
    std::vector<std::string> kinds;
    if (expected.healthy()) {
        const std::string verdict = diagnosis.value("verdict", "");
        if (verdict == "ok") return {};
        for (const auto& finding : findings) kinds.push_back(finding.value("kind", ""));
        return {fmt::format("verdict {} where the engine prevents the incident ({}); findings: {}",
                            verdict.empty() ? "none" : verdict, expected.prevented_because,
                            kinds.empty() ? "none" : fmt::format("{}", fmt::join(kinds, ", ")))};
    }
    std::vector<std::string> closest;  // the names missing from the best finding of the kind
    bool found_kind = false;
    for (const auto& finding : findings) {
        const std::string kind = finding.value("kind", "");
        kinds.push_back(kind);
        if (kind != expected.kind) continue;
        auto missing = missing_from(finding, expected.mentions);
        if (missing.empty()) return {};
        if (!found_kind || missing.size() < closest.size()) closest = std::move(missing);
        found_kind = true;
    }
    if (!found_kind)
        return {fmt::format("no {} finding (findings: {})", expected.kind,
                            kinds.empty() ? "none" : fmt::format("{}", fmt::join(kinds, ", ")))};
    std::vector<std::string> problems;
    for (const auto& name : closest)
        problems.push_back(fmt::format("the {} finding does not mention {}", expected.kind, name));
    return problems;
}

}  // namespace pathwhy::scenario
