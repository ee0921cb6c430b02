// Which program of a BPF object the kernel or libbpf refused, and why, read from the warnings
// libbpf printed while loading it (libbpf 1.1 stops at the first program that fails and names
// it: "prog 'NAME': BPF program load failed: ...", then the verifier's log). Pure, so that the
// reading is unit-tested on logs of kernels we do not run on.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pathwhy {

struct LoadFailure {
    std::string program;  // "pw_kfree_skb_btf"
    std::string reason;   // one line: "Invalid argument (verifier: R1 invalid mem access ...)"
};

// nullopt when no program is named: the failure is the object's (a map, the license, BTF), and
// costs every view.
std::optional<LoadFailure> find_load_failure(const std::vector<std::string>& warnings);

}  // namespace pathwhy
