// Seed 003's UDP traffic in a lab: a sender in the peer namespace streaming to the host from one
// fixed source port — bounded in rate, count and time, stopping by itself — and a receiver
// inside a container that logs every datagram with its source, so a test can tell datagrams
// from the real sender apart from those docker-proxy relays. Both ends are pathwhy-lab-udp, a
// static program (udp_stream_tool.cpp) bind-mounted into the busybox container.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/process.h"
#include "lab/lab.h"

namespace pathwhy::lab {

// The program's path in the build tree.
std::string udp_tool_path();

struct UdpStreamOptions {
    Ipv4Address to;
    std::uint16_t port = 0;
    std::uint16_t source_port = 0;
    int rate = 20;     // datagrams per second
    int count = 1200;  // then it stops: 60 s at 20/s, the tool's limit
};

// The sender, in the peer namespace; the destructor stops it if it still runs.
class UdpSender {
  public:
    UdpSender(const Lab& lab, const UdpStreamOptions& options, const std::string& log_path);
    ~UdpSender() = default;
    UdpSender(const UdpSender&) = delete;
    UdpSender& operator=(const UdpSender&) = delete;

  private:
    ChildProcess process_;
};

// What a container runs to receive `port` into DIR/received (DIR bind-mounted at /rx), for
// ContainerOptions: the volumes and the command.
ContainerOptions udp_receiver_container(const std::string& dir, std::uint16_t port);
// The receiver's log on the host, for a container made with udp_receiver_container(dir, ...).
std::string udp_receiver_log(const std::string& dir);

struct Datagram {
    Ipv4Address source;
    std::uint16_t source_port = 0;
    long seq = -1;
};

// Every datagram the receiver has logged so far (none if the log does not exist yet).
std::vector<Datagram> received_datagrams(const std::string& log);

}  // namespace pathwhy::lab
