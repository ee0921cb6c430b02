// Full snapshots for the recording, taken on request on a thread of their own: reading Docker and
// the kernel takes a few hundred milliseconds with many networks, and the recorder's loop must
// keep writing chunks every second meanwhile. Requests made while a snapshot is being taken are
// merged into the next one.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "record/record_queue.h"
#include "snapshot/live_snapshot.h"

namespace pathwhy {

class SnapshotSource {
  public:
    // `base` says where to look (namespace, Docker); each request adds the addresses to ask the
    // kernel about.
    SnapshotSource(LiveSnapshotRequest base, RecordQueue& queue);
    ~SnapshotSource();
    SnapshotSource(const SnapshotSource&) = delete;
    SnapshotSource& operator=(const SnapshotSource&) = delete;

    // Never blocks.
    void request(std::vector<Ipv4Address> destinations);

  private:
    void run(std::stop_token stop);

    LiveSnapshotRequest base_;
    RecordQueue& queue_;
    std::mutex mutex_;
    std::condition_variable_any wanted_;
    std::optional<std::vector<Ipv4Address>> pending_;
    std::jthread thread_;
};

}  // namespace pathwhy
