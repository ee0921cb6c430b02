// One bounded probe: a TCP connect, a UDP datagram or an ICMP echo request to the destination,
// sent from a network namespace (the diagnosed one, or a container's) and watched without
// blocking, so that the caller can drain the packet tracer while the kernel decides. The socket
// is made inside the namespace and keeps it: nothing else moves there. The outcome is what the
// socket says — what a user's curl, nc or ping would have said.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "cli/trace_options.h"
#include "model/ipv4.h"

namespace pathwhy {

class Probe {
  public:
    // ARP gives up after three probes a second apart (~3.05 s, then "No route to host"): the
    // probe waits a little longer, so that this answer is seen rather than cut off.
    static constexpr std::chrono::milliseconds kTimeout{3500};

    // `netns`: "" for the calling thread's namespace, else a name or path as for --netns.
    // Sends at once; throws Error when the socket cannot be made or the packet not sent.
    Probe(const ProbeSpec& spec, Ipv4Address destination, const std::string& netns);
    ~Probe();
    Probe(const Probe&) = delete;
    Probe& operator=(const Probe&) = delete;

    // The outcome once the socket has one ("connected", "No route to host", "echo reply"...),
    // else nullopt. Never blocks.
    std::optional<std::string> outcome();
    // What to report when kTimeout passed without an outcome.
    std::string no_outcome() const;

  private:
    std::optional<std::string> tcp_outcome();
    std::optional<std::string> datagram_outcome();
    std::optional<std::string> raw_icmp_outcome();

    ProbeSpec spec_;
    Ipv4Address destination_;
    int fd_ = -1;
    bool raw_ = false;  // ICMP over a raw socket: ping sockets are off in this namespace
    std::uint16_t echo_id_ = 0;
    std::optional<std::string> settled_;  // an outcome known at send time (ENETUNREACH ...)
};

}  // namespace pathwhy
