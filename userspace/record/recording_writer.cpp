#include "record/recording_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "common/error.h"

namespace pathwhy {
namespace {

using Clock = std::chrono::steady_clock;

// Makes a rename or a new file durable: the directory entry must reach the disk too.
void sync_directory_of(const std::string& path) {
    const auto parent = std::filesystem::path(path).parent_path();
    const int fd = open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    fsync(fd);
    close(fd);
}

}  // namespace

std::string mebibytes(std::uint64_t bytes) {
    return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1 << 20));
}

std::string rotated_path(const std::string& path, unsigned n) {
    return path + "." + std::to_string(n);
}

RecordingWriter::RecordingWriter(std::string path, RecordingLimits limits, Preamble preamble)
    : path_(std::move(path)), limits_(limits), preamble_(std::move(preamble)) {
    if (limits_.max_files == 0) limits_.max_files = 1;
    std::error_code ec;
    if (std::filesystem::exists(path_, ec)) rotate();
    open_new_file();
}

RecordingWriter::~RecordingWriter() {
    try {
        close();
    } catch (...) {
        // Destructors do not throw; close() is where a caller sees the error.
    }
}

void RecordingWriter::open_new_file() {
    fd_ = open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        const int err = errno;
        throw Error("create recording " + path_, errno_text(err),
                    err == EACCES || err == EPERM ? "choose a writable place with -o" : "");
    }
    // O_CREAT's mode is masked by the umask and ignored for an existing file: set it outright.
    fchmod(fd_, 0600);
    stats_.file_bytes = 0;
    write_bytes(record_format::file_header());
    record_format::ChunkBuilder opening;
    for (const Record& record : preamble_ ? preamble_(file_index_) : std::vector<Record>{})
        opening.append(record);
    if (!opening.empty()) write_bytes(opening.finish());
    file_has_data_ = false;
    sync();
    sync_directory_of(path_);
}

void RecordingWriter::rotate() {
    std::error_code ec;
    std::filesystem::remove(rotated_path(path_, limits_.max_files - 1), ec);
    for (unsigned n = limits_.max_files - 1; n > 1; --n)
        std::filesystem::rename(rotated_path(path_, n - 1), rotated_path(path_, n), ec);
    if (limits_.max_files > 1)
        std::filesystem::rename(path_, rotated_path(path_, 1), ec);
    else
        std::filesystem::remove(path_, ec);
}

void RecordingWriter::append(const Record& record) {
    if (fd_ < 0) throw Error("write recording " + path_, "it is closed");
    const auto encoded = record_format::encode_record(record);
    if (chunk_.raw_size() + encoded.size() > record_format::kMaxChunkPayload) flush();
    if (chunk_.empty()) chunk_opened_ = Clock::now();
    chunk_.append_encoded(encoded, record.time_unix_ns);
    ++stats_.records;
    if (chunk_.raw_size() >= limits_.chunk_bytes) {
        write_chunk(chunk_.finish());
        if (Clock::now() - last_sync_ >= limits_.flush_interval) sync();
    }
}

void RecordingWriter::flush_if_due(Clock::time_point now) {
    if (fd_ < 0) return;
    if (!chunk_.empty() && now - chunk_opened_ >= limits_.flush_interval) write_chunk(chunk_.finish());
    if (unsynced_ && now - last_sync_ >= limits_.flush_interval) sync();
}

void RecordingWriter::flush() {
    if (fd_ < 0) return;
    if (!chunk_.empty()) write_chunk(chunk_.finish());
    if (unsynced_) sync();
}

void RecordingWriter::close() {
    if (fd_ < 0) return;
    flush();
    ::close(fd_);
    fd_ = -1;
}

void RecordingWriter::write_chunk(const std::vector<std::uint8_t>& chunk) {
    // A file holding only its opening (header, preamble) is not rotated, even if the preamble
    // alone exceeds the file's share of the cap: rotating could not make it smaller.
    if (file_has_data_ && stats_.file_bytes + chunk.size() > limits_.max_file_bytes()) {
        sync();
        ::close(fd_);
        fd_ = -1;
        rotate();
        ++file_index_;
        ++stats_.rotations;
        open_new_file();
    }
    write_bytes(chunk);
    file_has_data_ = true;
}

void RecordingWriter::write_bytes(const std::vector<std::uint8_t>& chunk) {
    const std::uint64_t whole = stats_.file_bytes;
    std::size_t done = 0;
    while (done < chunk.size()) {
        const ssize_t n = ::write(fd_, chunk.data() + done, chunk.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            // Cut the half-written chunk off, so the file ends on a whole one.
            if (ftruncate(fd_, static_cast<off_t>(whole)) == 0) lseek(fd_, 0, SEEK_END);
            fail("write recording " + path_, err);
        }
        done += static_cast<std::size_t>(n);
    }
    stats_.file_bytes += chunk.size();
    stats_.bytes += chunk.size();
    ++stats_.chunks;
    unsynced_ = true;
}

void RecordingWriter::sync() {
    if (fd_ < 0 || !unsynced_) return;
    if (fdatasync(fd_) != 0) fail("sync recording " + path_, errno);
    unsynced_ = false;
    last_sync_ = Clock::now();
}

void RecordingWriter::fail(const std::string& action, int err) {
    ::close(fd_);
    fd_ = -1;
    const std::string kept = fmt::format("{} written to {} before that are kept and readable",
                                         mebibytes(stats_.file_bytes), path_);
    throw Error(action, errno_text(err),
                err == ENOSPC || err == EDQUOT
                    ? "the disk is full: free space or lower --max-size; the " + kept
                    : "the " + kept);
}

}  // namespace pathwhy
