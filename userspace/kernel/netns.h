// Entering another network namespace for the duration of a scope, and naming the current one.
// setns(2) switches only the calling thread, so everything that must happen "inside" (opening
// rtnetlink sockets, route queries) has to run on that thread while the scope lives.
#pragma once

#include <cstdint>
#include <string>

namespace pathwhy {

class NetnsScope {
  public:
    // `name_or_path` is a name from `ip netns list` (/run/netns/NAME) or, when it contains a '/',
    // a namespace file such as /proc/PID/ns/net. Throws pathwhy::Error when it does not exist,
    // is not a network namespace, or may not be entered.
    explicit NetnsScope(const std::string& name_or_path);
    // Returns the thread to the namespace it was in before.
    ~NetnsScope();
    NetnsScope(const NetnsScope&) = delete;
    NetnsScope& operator=(const NetnsScope&) = delete;

  private:
    int original_fd_ = -1;
};

// Inode of the calling thread's network namespace: what `ip netns identify`, `lsns` and the
// tracepoints' `nd_net.net->ns.inum` call it.
std::uint64_t current_netns_inode();

}  // namespace pathwhy
