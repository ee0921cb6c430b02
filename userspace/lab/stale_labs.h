// Clearing up after labs whose process died without tearing down (SIGKILL, a crash, a ctest
// timeout): their namespaces and data dirs carry the dead pid in their names (naming.h), so
// anything named for a pid that is no longer alive is ours to remove (see owner_gone()). Another
// live pid is never touched, even if it was reused by an unrelated process: its leftovers wait
// for a later run.
#pragma once

#include <string>
#include <vector>

namespace pathwhy::lab {

struct ReapReport {
    std::vector<std::string> dirs;        // data dirs removed, with their processes and mounts
    std::vector<std::string> namespaces;  // namespaces deleted
    std::vector<std::string> problems;    // what could not be removed
};

// Removes every stale lab on the machine. Never throws. Lab's constructor calls it.
ReapReport reap_stale_labs();

}  // namespace pathwhy::lab
