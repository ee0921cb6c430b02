// Reading what a system tool prints (iptables-save, nft): argv, never a shell, stdin on
// /dev/null, stdout and stderr captured, killed at a deadline. The child is made by the calling
// thread and so starts in that thread's network namespace: a reader inside a NetnsScope gets the
// diagnosed namespace's view. (The lab's runner in lab/process.h does more — interrupts, stdin
// data, environments — for the tools that build labs; diagnosis needs only this.)
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace pathwhy {

struct ToolOutput {
    bool started = false;  // false: the program is not installed (or could not be executed)
    int exit_code = -1;    // -1 when killed (deadline) or ended by a signal
    bool timed_out = false;
    std::string out;
    std::string err;

    bool ok() const { return started && exit_code == 0; }
};

// Never throws for the tool's own failures; they are in the result.
ToolOutput read_tool_output(const std::vector<std::string>& argv,
                            std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace pathwhy
