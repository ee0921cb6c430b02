#include "trace/load_failure.h"

#include <sstream>

namespace pathwhy {

namespace {

constexpr const char* kProgPrefix = "prog '";
const std::string kLibbpfPrefix = "libbpf: ";

bool starts_with(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

std::string trimmed(std::string text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

// "prog 'NAME': rest" -> {NAME, rest}
std::optional<std::pair<std::string, std::string>> program_line(const std::string& line) {
    if (!starts_with(line, kProgPrefix)) return std::nullopt;
    const auto close = line.find("': ", std::char_traits<char>::length(kProgPrefix));
    if (close == std::string::npos) return std::nullopt;
    const auto start = std::char_traits<char>::length(kProgPrefix);
    return std::make_pair(line.substr(start, close - start), trimmed(line.substr(close + 3)));
}

// The statistics lines the verifier ends every log with, success or not.
bool verifier_statistics(const std::string& line) {
    return starts_with(line, "processed ") || starts_with(line, "verification time") ||
           starts_with(line, "stack depth");
}

}  // namespace

std::optional<LoadFailure> find_load_failure(const std::vector<std::string>& warnings) {
    std::vector<std::string> lines;
    for (const auto& message : warnings) {
        std::istringstream in(message);
        for (std::string line; std::getline(in, line);) {
            // libbpf starts each message it prints with its name.
            if (starts_with(line, kLibbpfPrefix)) line.erase(0, kLibbpfPrefix.size());
            lines.push_back(line);
        }
    }
    // The last program named is the one libbpf stopped at.
    std::optional<std::string> program;
    for (const auto& line : lines)
        if (auto named = program_line(line)) program = named->first;
    if (!program) return std::nullopt;

    std::string load_failed;    // "Invalid argument": the errno of the load
    std::string libbpf_reason;  // "failed to find kernel BTF type ID of 'x': -3"
    std::string verifier_reason;
    bool in_log = false;
    for (const auto& line : lines) {
        if (auto named = program_line(line)) {
            if (named->first != *program) continue;
            const std::string& rest = named->second;
            if (starts_with(rest, "BPF program load failed: "))
                load_failed =
                    rest.substr(std::char_traits<char>::length("BPF program load failed: "));
            else if (rest == "-- BEGIN PROG LOAD LOG --")
                in_log = true;
            else if (!starts_with(rest, "failed to load: ") && libbpf_reason.empty())
                libbpf_reason = rest;  // the first thing libbpf said about it is the cause
            continue;
        }
        if (!in_log) continue;
        if (starts_with(line, "-- END PROG LOAD LOG --")) {
            in_log = false;
            continue;
        }
        const std::string text = trimmed(line);
        // libbpf rewrites an instruction it poisoned for a relocation it could not resolve.
        if (starts_with(text, "failed to resolve CO-RE relocation")) {
            verifier_reason = text;
            in_log = false;  // that is the cause; what the verifier says after is its effect
        } else if (!text.empty() && !verifier_statistics(text)) {
            verifier_reason = text;  // the verifier's last word before its statistics
        }
    }

    std::string reason = !load_failed.empty() ? load_failed : libbpf_reason;
    if (!verifier_reason.empty())
        reason += (reason.empty() ? "" : " ") + std::string("(verifier: ") + verifier_reason + ")";
    else if (!libbpf_reason.empty() && reason != libbpf_reason)
        reason += " (" + libbpf_reason + ")";
    if (reason.empty()) reason = "refused by libbpf";
    return LoadFailure{*program, reason};
}

}  // namespace pathwhy
