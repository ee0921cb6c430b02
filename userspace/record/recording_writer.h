// Writing a recording: records are gathered into a chunk that is written — and fdatasync'ed —
// once it is big enough or a flush interval old, so a SIGKILL or power loss costs at most that
// interval. Files are created 0600 (they hold the host's network layout). When a file would grow
// past its share of the size cap it is rotated (FILE -> FILE.1 -> FILE.2 ...) and the new file
// opens with the preamble (the session and the latest snapshot), so every file reads on its own.
// A write that fails (ENOSPC above all) truncates the file back to its last whole chunk and throws:
// what was written stays readable.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "record/chunk_codec.h"
#include "record/records.h"

namespace pathwhy {

struct RecordingLimits {
    std::uint64_t max_total_bytes = std::uint64_t{256} << 20;  // FILE and its rotations together
    unsigned max_files = 4;                                    // FILE, FILE.1 ... FILE.<n-1>
    std::chrono::milliseconds flush_interval{900};
    std::size_t chunk_bytes = 256 << 10;  // uncompressed; a chunk is written at this size

    std::uint64_t max_file_bytes() const { return max_total_bytes / (max_files ? max_files : 1); }
};

struct RecordingStats {
    std::uint64_t records = 0;
    std::uint64_t chunks = 0;
    std::uint64_t bytes = 0;       // written to disk, every file together
    std::uint64_t file_bytes = 0;  // the current file's size
    std::uint32_t rotations = 0;
};

class RecordingWriter {
  public:
    // The records a new file starts with, given its index in the session (0 for the first).
    using Preamble = std::function<std::vector<Record>(std::uint32_t file_index)>;

    // Moves an existing FILE aside as FILE.1 (and so on), creates FILE with mode 0600 and writes
    // the file header and the preamble. Throws pathwhy::Error when the file cannot be created.
    RecordingWriter(std::string path, RecordingLimits limits, Preamble preamble);
    // Flushes and closes; errors are swallowed here (call close() to see them).
    ~RecordingWriter();
    RecordingWriter(const RecordingWriter&) = delete;
    RecordingWriter& operator=(const RecordingWriter&) = delete;

    // Adds a record to the open chunk, writing the chunk when it is full. Throws pathwhy::Error
    // when the write fails; the file is then closed and keeps every chunk written before.
    void append(const Record& record);
    // Writes the open chunk if its first record is at least the flush interval old.
    void flush_if_due(std::chrono::steady_clock::time_point now);
    // Writes the open chunk and syncs it to disk.
    void flush();
    // flush(), then closes the file. Idempotent.
    void close();

    const RecordingStats& stats() const { return stats_; }
    const std::string& path() const { return path_; }

  private:
    void open_new_file();
    void rotate();
    // A data chunk, rotating first when it would overflow the file's share of the cap.
    void write_chunk(const std::vector<std::uint8_t>& chunk);
    void write_bytes(const std::vector<std::uint8_t>& bytes);
    void sync();
    [[noreturn]] void fail(const std::string& action, int err);

    std::string path_;
    RecordingLimits limits_;
    Preamble preamble_;
    int fd_ = -1;
    std::uint32_t file_index_ = 0;
    record_format::ChunkBuilder chunk_;
    std::chrono::steady_clock::time_point chunk_opened_{};
    std::chrono::steady_clock::time_point last_sync_{};
    bool unsynced_ = false;
    bool file_has_data_ = false;
    RecordingStats stats_;
};

// "12.3 MiB": a recording's size, for messages and the status line.
std::string mebibytes(std::uint64_t bytes);

// FILE.<n>: where rotation puts the n-th older file.
std::string rotated_path(const std::string& path, unsigned n);

}  // namespace pathwhy
