#include "trace/test_refusals.h"

#include <sstream>

#include "common/error.h"
#include "trace/trace_plan.h"

namespace pathwhy {

namespace {

bool known_tracepoint(const std::string& name) {
    for (const auto& use : traced_tracepoints())
        if (use.tracepoint == name) return true;
    return false;
}

bool known(const std::string& entry) {
    if (entry == "netfilter_link" || entry == "fentry" || entry == "kprobes" || entry == "tp_btf" ||
        entry == "raw_tp")
        return true;
    const auto slash = entry.find('/');
    if (slash == std::string::npos) return false;
    const std::string kind = entry.substr(0, slash);
    return (kind == "tp_btf" || kind == "raw_tp") && known_tracepoint(entry.substr(slash + 1));
}

}  // namespace

std::set<std::string> parse_test_refusals(const std::string& value) {
    std::set<std::string> refused;
    std::istringstream in(value);
    for (std::string entry; std::getline(in, entry, ',');) {
        if (entry.empty()) continue;
        if (!known(entry))
            throw Error(std::string("read ") + kTestRefuseVariable,
                        "'" + entry + "' is not a mechanism",
                        "known: netfilter_link, fentry, kprobes, tp_btf, raw_tp, "
                        "tp_btf/<tracepoint>, raw_tp/<tracepoint>");
        refused.insert(entry);
    }
    return refused;
}

bool covers(const std::set<std::string>& refused, const std::string& key) {
    if (refused.count(key)) return true;
    const auto slash = key.find('/');
    return slash != std::string::npos && refused.count(key.substr(0, slash)) > 0;
}

}  // namespace pathwhy
