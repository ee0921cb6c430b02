#include "cli/conntrack_fix.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/diagnose_command.h"
#include "common/error.h"
#include "kernel/conntrack_table.h"
#include "kernel/netns.h"
#include "report/conntrack_json.h"

namespace pathwhy {

namespace {

std::vector<ConntrackEntry> stale_entries(const Diagnosis& diagnosis) {
    std::vector<ConntrackEntry> entries;
    for (const Finding& finding : diagnosis.findings)
        if (finding.conntrack)
            for (const StaleEntryRef& stale : finding.conntrack->entries)
                entries.push_back(stale.entry);
    return entries;
}

std::string entries_text(std::size_t n) {
    return fmt::format("{} conntrack entr{}", n, n == 1 ? "y" : "ies");
}

// Progress and the question go to stderr, so that stdout stays the diagnoses (or one JSON).
void say(const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); }

bool confirmed(std::size_t n) {
    std::fprintf(stderr, "Delete %s? [y/N] ", entries_text(n).c_str());
    std::fflush(stderr);
    std::string answer;
    if (!std::getline(std::cin, answer)) return false;
    return answer == "y" || answer == "Y" || answer == "yes";
}

struct Deletion {
    std::vector<ConntrackEntry> deleted;
    std::vector<ConntrackEntry> gone;  // expired or replaced since they were read
};

Deletion delete_entries(const std::string& netns, const std::vector<ConntrackEntry>& entries) {
    std::optional<NetnsScope> inside;
    if (!netns.empty()) inside.emplace(netns);
    Deletion deletion;
    for (const ConntrackEntry& entry : entries)
        (delete_conntrack_entry(entry) ? deletion.deleted : deletion.gone).push_back(entry);
    return deletion;
}

nlohmann::json deletion_to_json(const Deletion& deletion, const Diagnosis& before) {
    nlohmann::json deleted = nlohmann::json::array(), gone = nlohmann::json::array();
    for (const auto& entry : deletion.deleted) deleted.push_back(conntrack_entry_to_json(entry));
    for (const auto& entry : deletion.gone) gone.push_back(conntrack_entry_to_json(entry));
    return {{"deleted", deleted},
            {"already_gone", gone},
            {"before", {{"verdict", verdict_name(before.verdict)}, {"summary", before.headline}}}};
}

int exit_code(const Diagnosis& diagnosis) {
    return diagnosis.verdict == Verdict::ok ? kExitHealthy : kExitProblem;
}

}  // namespace

int run_fix(const DiagnoseOptions& options) {
    if (!options.yes && isatty(STDIN_FILENO) != 1)
        throw Error("fix '" + options.destination + "'",
                    "there is no terminal to ask on before deleting conntrack entries",
                    "add --yes to delete them without asking");
    const LiveDiagnosis before = diagnose_live(options);
    const std::vector<ConntrackEntry> entries = stale_entries(before.diagnosis);
    if (!options.json) print_diagnosis(before, false);
    if (entries.empty()) {
        if (options.json) {
            nlohmann::json out = live_diagnosis_json(before);
            out["applied_fix"] = deletion_to_json({}, before.diagnosis);
            std::printf("%s\n", out.dump(2).c_str());
        } else {
            say(before.diagnosis.verdict == Verdict::ok
                    ? "nothing to fix"
                    : "--fix deletes only stale conntrack entries, and there are none: the fix "
                      "commands above are for the rest");
        }
        return exit_code(before.diagnosis);
    }
    if (!options.yes && !confirmed(entries.size())) {
        if (options.json) print_diagnosis(before, true);
        say("nothing deleted");
        return kExitProblem;
    }

    const Deletion deletion = delete_entries(options.netns, entries);
    say(fmt::format(
        "deleted {}{}; diagnosing again", entries_text(deletion.deleted.size()),
        deletion.gone.empty() ? "" : fmt::format(" ({} had gone already)", deletion.gone.size())));
    const LiveDiagnosis after = diagnose_live(options);
    if (options.json) {
        nlohmann::json out = live_diagnosis_json(after);
        out["applied_fix"] = deletion_to_json(deletion, before.diagnosis);
        std::printf("%s\n", out.dump(2).c_str());
        std::fflush(stdout);
    } else {
        std::printf("\n");
        print_diagnosis(after, false);
    }
    return exit_code(after.diagnosis);
}

}  // namespace pathwhy
