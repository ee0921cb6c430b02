// libbpf prints verifier logs and warnings to stderr by default; an SRE's terminal is not the
// place for them. They are kept for error messages and shown with PATHWHY_DEBUG=1.
#pragma once

#include <string>
#include <vector>

namespace pathwhy {

void route_libbpf_messages();
// The last lines libbpf printed, for the reason part of a load error.
std::string recent_libbpf_messages();

// Every warning libbpf prints while one of these lives, whole (a verifier log is one message of
// many lines): what a failed load is read from, to name the program that failed and why.
class LibbpfWarnings {
  public:
    LibbpfWarnings();
    ~LibbpfWarnings();
    LibbpfWarnings(const LibbpfWarnings&) = delete;
    LibbpfWarnings& operator=(const LibbpfWarnings&) = delete;

    std::vector<std::string> messages() const;
    void clear();
};

}  // namespace pathwhy
