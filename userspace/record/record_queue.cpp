#include "record/record_queue.h"

namespace pathwhy {

bool RecordQueue::push(Record record) {
    {
        std::lock_guard lock(mutex_);
        if (records_.size() >= capacity_) {
            ++dropped_;
            return false;
        }
        records_.push_back(std::move(record));
    }
    ready_.notify_one();
    return true;
}

std::vector<Record> RecordQueue::pop_all(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    ready_.wait_for(lock, timeout, [&] { return !records_.empty(); });
    std::vector<Record> out(std::make_move_iterator(records_.begin()),
                            std::make_move_iterator(records_.end()));
    records_.clear();
    return out;
}

std::uint64_t RecordQueue::take_dropped() {
    std::lock_guard lock(mutex_);
    return std::exchange(dropped_, 0);
}

}  // namespace pathwhy
