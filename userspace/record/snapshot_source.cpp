#include "record/snapshot_source.h"

#include "common/error.h"
#include "record/time_text.h"

namespace pathwhy {

SnapshotSource::SnapshotSource(LiveSnapshotRequest base, RecordQueue& queue)
    : base_(std::move(base)), queue_(queue) {
    thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

SnapshotSource::~SnapshotSource() {
    thread_.request_stop();
    if (thread_.joinable()) thread_.join();
}

void SnapshotSource::request(std::vector<Ipv4Address> destinations) {
    {
        std::lock_guard lock(mutex_);
        pending_ = std::move(destinations);
    }
    wanted_.notify_one();
}

void SnapshotSource::run(std::stop_token stop) {
    for (;;) {
        LiveSnapshotRequest request = base_;
        {
            std::unique_lock lock(mutex_);
            if (!wanted_.wait(lock, stop, [&] { return pending_.has_value(); })) return;
            request.destinations = std::move(*pending_);
            pending_.reset();
        }
        const std::int64_t started = unix_now_ns();
        try {
            queue_.push({started, take_live_snapshot(request)});
        } catch (const Error& e) {
            // Docker restarting with an explicit --docker-host is the usual cause; the reconnect
            // asks for another snapshot.
            queue_.push({started, RecordingNote{"snapshot-failed", e.what()}});
        }
    }
}

}  // namespace pathwhy
