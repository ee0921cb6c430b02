// The one queue every source thread of the recorder pushes into and the recorder's loop drains.
// Bounded: when the loop falls behind (a packet storm), new records are counted and dropped
// rather than queued without end — the count goes into the recording as a note, and the status
// line shows it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "record/records.h"

namespace pathwhy {

class RecordQueue {
  public:
    explicit RecordQueue(std::size_t capacity) : capacity_(capacity) {}

    // False when the queue was full and the record was dropped.
    bool push(Record record);
    // Everything queued, waiting up to `timeout` for the first record.
    std::vector<Record> pop_all(std::chrono::milliseconds timeout);
    // Dropped since the last call.
    std::uint64_t take_dropped();

  private:
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<Record> records_;
    std::size_t capacity_;
    std::uint64_t dropped_ = 0;
};

}  // namespace pathwhy
