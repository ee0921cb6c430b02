// Traffic from the lab's peer namespace to a service in its host namespace: the reply-path half
// of seeds 002 and 004, where a bastion or VPC peer (172.31.151.55) opens connections to the host
// and the host's replies are what a Docker bridge swallows. A busybox `nc -l` loop serves in the
// host namespace; a client loop in the peer connects from the peer's 172.31 address at a fixed
// interval. Both are bounded in count and time and stop by themselves; the destructor stops them
// sooner. Every attempt's outcome is logged, so callers can wait for an observed state instead of
// sleeping.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/process.h"
#include "lab/lab.h"

namespace pathwhy::lab {

struct PeerConnectionOptions {
    int port = 8080;                          // the host's service port
    int attempts = 400;                       // the client stops after this many connections
    std::chrono::milliseconds interval{500};  // between the end of one attempt and the next
    int connect_timeout_seconds = 2;          // busybox nc -w: a swallowed SYN-ACK fails here
};

struct ConnectionTally {
    int succeeded = 0;
    int failed = 0;
    int attempted() const { return succeeded + failed; }
};

class PeerConnections {
  public:
    // Routes the peer's connections to the host from kPeerServiceAddress, starts the service in
    // the host namespace, then the client in the peer namespace. Throws Error if either cannot
    // start.
    PeerConnections(const Lab& lab, PeerConnectionOptions options = {});
    // Stops the client, then the service. Never throws.
    ~PeerConnections();
    PeerConnections(const PeerConnections&) = delete;
    PeerConnections& operator=(const PeerConnections&) = delete;

    // The outcomes so far, from the client's log ("ok"/"fail" per attempt).
    ConnectionTally tally() const;
    // Polls tally() until `done(tally)` or the timeout; returns the last tally and whether `done`.
    template <typename Done>
    std::pair<ConnectionTally, bool> wait_until(Done done, std::chrono::milliseconds timeout) const;

    const std::string& client_log() const { return client_log_; }

  private:
    std::string service_log_;
    std::string client_log_;
    std::optional<ChildProcess> service_;  // declared first: stopped last
    std::optional<ChildProcess> client_;
};

// The wait is a poll of what the client logged (one line per attempt), not a sleep standing in
// for synchronisation: it returns as soon as the awaited outcome is observed.
void pause_between_polls();

template <typename Done>
std::pair<ConnectionTally, bool> PeerConnections::wait_until(
    Done done, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        ConnectionTally now = tally();
        if (done(now)) return {now, true};
        if (std::chrono::steady_clock::now() >= deadline) return {now, false};
        pause_between_polls();
    }
}

}  // namespace pathwhy::lab
