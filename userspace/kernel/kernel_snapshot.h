// The public entry to the kernel's state: one call reads links, IPv4 addresses, routes of every
// table, policy rules and neighbours of the calling thread's current network namespace (enter
// another with NetnsScope first).
#pragma once

#include "model/kernel_state.h"

namespace pathwhy {

// Throws pathwhy::Error ("cannot list IPv4 routes: ...") when a dump fails.
KernelState read_kernel_state();

}  // namespace pathwhy
