#include "record/netlink_source.h"

#include "common/error.h"
#include "kernel/netns.h"
#include "record/time_text.h"

namespace pathwhy {

NetlinkSource::NetlinkSource(std::string name, const std::string& netns, int bus,
                             const std::vector<unsigned>& groups, Decode decode, RecordQueue& queue)
    : name_(std::move(name)), decode_(std::move(decode)), queue_(queue) {
    {
        // The socket keeps the namespace it was opened in; the thread may then leave it.
        std::optional<NetnsScope> inside;
        if (!netns.empty()) inside.emplace(netns);
        monitor_.emplace(bus, groups, "open the " + name_);
    }
    thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

NetlinkSource::~NetlinkSource() {
    thread_.request_stop();
    monitor_->wake();
    if (thread_.joinable()) thread_.join();
}

void NetlinkSource::run(std::stop_token stop) {
    while (!stop.stop_requested()) {
        try {
            const auto result =
                monitor_->poll(std::chrono::milliseconds(500), [&](const nlmsghdr& message) {
                    if (auto body = decode_(message)) queue_.push({unix_now_ns(), std::move(*body)});
                });
            if (result == NetlinkMonitor::Result::overrun)
                queue_.push({unix_now_ns(),
                             RecordingNote{"netlink-overrun",
                                           "the kernel dropped " + name_ +
                                               " messages (the recorder fell behind)"}});
        } catch (const Error& e) {
            queue_.push({unix_now_ns(), RecordingNote{"source-failed", name_ + ": " + e.what()}});
            return;
        }
    }
}

}  // namespace pathwhy
