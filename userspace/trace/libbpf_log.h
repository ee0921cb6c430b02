// libbpf prints verifier logs and warnings to stderr by default; an SRE's terminal is not the
// place for them. They are kept for error messages and shown with PATHWHY_DEBUG=1.
#pragma once

#include <string>

namespace pathwhy {

void route_libbpf_messages();
// The last lines libbpf printed, for the reason part of a load error.
std::string recent_libbpf_messages();

}  // namespace pathwhy
