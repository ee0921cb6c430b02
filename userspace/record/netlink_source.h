// A recorder source fed by netlink announcements: the rtnetlink monitor (route, link, address,
// rule and neighbour changes) and the conntrack event monitor are both one of these, with their
// own groups and decoder. The socket is opened inside the recorded namespace by the constructor,
// so that a failure (no conntrack in this kernel, no permission) is known before recording
// starts; a thread then turns what the kernel announces into records.
#pragma once

#include <linux/netlink.h>

#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "kernel/netlink_monitor.h"
#include "record/record_queue.h"

namespace pathwhy {

class NetlinkSource {
  public:
    // nullopt: the message is not worth a record (another family, an unwatched flow).
    using Decode = std::function<std::optional<RecordBody>(const nlmsghdr&)>;

    // `name` is the source's name in notes ("rtnetlink monitor"). Throws pathwhy::Error when the
    // socket cannot be opened in `netns` ("" for ours).
    NetlinkSource(std::string name, const std::string& netns, int bus,
                  const std::vector<unsigned>& groups, Decode decode, RecordQueue& queue);
    ~NetlinkSource();
    NetlinkSource(const NetlinkSource&) = delete;
    NetlinkSource& operator=(const NetlinkSource&) = delete;

  private:
    void run(std::stop_token stop);

    std::string name_;
    std::optional<NetlinkMonitor> monitor_;
    Decode decode_;
    RecordQueue& queue_;
    std::jthread thread_;  // last: stopped and joined before the monitor goes
};

}  // namespace pathwhy
