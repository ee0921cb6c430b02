// PATHWHY_TEST_REFUSE: a switch for tests only, so that a privileged test can make the tracer
// take a fallback on a kernel that has the preferred mechanism — e.g. kprobes on a kernel with
// fentry, or raw_tp twins on a kernel with tp_btf. Its value is a comma-separated list of
// mechanisms KernelFeatures then answers "no" for, as if the probe had failed:
//   netfilter_link, fentry, kprobes, tp_btf, raw_tp     (every tracepoint of that kind)
//   tp_btf/<tracepoint>, raw_tp/<tracepoint>           (one, e.g. tp_btf/kfree_skb)
// Users have no reason to set it; `pathwhy doctor` shows what it refused and why.
#pragma once

#include <set>
#include <string>

namespace pathwhy {

inline constexpr const char* kTestRefuseVariable = "PATHWHY_TEST_REFUSE";

// The refused mechanisms in `value`; throws Error naming the first entry that is none.
std::set<std::string> parse_test_refusals(const std::string& value);

// Whether `refused` covers the probe `key` ("fentry", "tp_btf/kfree_skb", ...).
bool covers(const std::set<std::string>& refused, const std::string& key);

}  // namespace pathwhy
