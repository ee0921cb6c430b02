// A netlink socket subscribed to multicast groups — rtnetlink's route/link/address/rule/
// neighbour groups, or conntrack's event groups — in the network namespace of the thread that
// opened it. poll() waits on the socket (and on wake(), from another thread) and hands every
// announced message to the caller. When the kernel had to drop announcements (ENOBUFS: the
// caller fell behind), poll() says so: whatever the caller derives from them must be re-read.
#pragma once

#include <linux/netlink.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

struct mnl_socket;

namespace pathwhy {

class NetlinkMonitor {
  public:
    // Opens `bus` and joins `groups`. Throws pathwhy::Error naming `what` when that fails.
    NetlinkMonitor(int bus, const std::vector<unsigned>& groups, const std::string& what);
    ~NetlinkMonitor();
    NetlinkMonitor(const NetlinkMonitor&) = delete;
    NetlinkMonitor& operator=(const NetlinkMonitor&) = delete;

    enum class Result { idle, delivered, overrun };
    // Waits up to `timeout` and delivers what is queued. Throws pathwhy::Error on a socket error.
    Result poll(std::chrono::milliseconds timeout,
                const std::function<void(const nlmsghdr&)>& on_message);
    // Makes a poll() waiting in another thread return now. Thread-safe.
    void wake();

  private:
    mnl_socket* socket_ = nullptr;
    int wake_fd_ = -1;
    std::string what_;
    std::vector<char> buffer_;
};

}  // namespace pathwhy
