// The reader walks chunk by chunk. Lengths are trusted only from a header whose checksum
// matched, so a damaged header is never followed blindly: the reader scans forward for the next
// sync word whose header checks out. A header that checks out but whose payload does not is
// skipped by its (checksummed) length.
#include "record/recording_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "common/error.h"
#include "record/chunk_codec.h"

namespace pathwhy {
namespace {

namespace format = record_format;

constexpr std::size_t kKeptReasons = 5;

class Walker {
  public:
    Walker(std::span<const std::uint8_t> bytes, RecordingReadSummary& summary,
           const RecordHandler& on_record)
        : bytes_(bytes), summary_(summary), on_record_(on_record) {}

    void walk(std::size_t offset) {
        while (offset < bytes_.size()) {
            const auto rest = bytes_.subspan(offset);
            const auto header = format::parse_chunk_header(rest);
            if (!header) {
                if (rest.size() < format::kChunkHeaderSize && looks_like_chunk_start(rest)) {
                    damaged(offset, rest.size(), "the file ends inside a chunk header", true);
                    return;
                }
                const std::size_t next = next_chunk(offset + 1);
                damaged(offset, next - offset, "bytes that are not a chunk", next == bytes_.size());
                offset = next;
                continue;
            }
            const std::size_t end = format::kChunkHeaderSize + header->payload_length;
            if (end > rest.size()) {
                damaged(offset, rest.size(), "the file ends inside a chunk", true);
                return;
            }
            auto payload = format::decode_chunk_payload(
                *header, rest.subspan(format::kChunkHeaderSize, header->payload_length));
            if (!payload.error.empty()) {
                damaged(offset, end, "chunk " + payload.error, false);
            } else {
                ++summary_.chunks;
                const bool framed = format::for_each_record(
                    payload.raw, [&](Record&& record) { deliver(std::move(record)); },
                    [&](const std::string& reason) { bad_record(reason); });
                if (!framed) damaged(offset, end, "a record runs past its chunk's end", false);
            }
            offset += end;
        }
    }

  private:
    // Whether the tail could be the beginning of a chunk that was cut off while being written.
    static bool looks_like_chunk_start(std::span<const std::uint8_t> tail) {
        const std::size_t n = std::min(tail.size(), format::kChunkSync.size());
        return std::equal(tail.begin(), tail.begin() + n, format::kChunkSync.begin());
    }

    // The offset of the next intact chunk header at or after `from`, or the end.
    std::size_t next_chunk(std::size_t from) const {
        const auto& sync = format::kChunkSync;
        for (auto it = bytes_.begin() + from;;) {
            it = std::search(it, bytes_.end(), sync.begin(), sync.end());
            if (it == bytes_.end()) return bytes_.size();
            const auto at = static_cast<std::size_t>(it - bytes_.begin());
            if (format::parse_chunk_header(bytes_.subspan(at))) return at;
            ++it;
        }
    }

    void deliver(Record&& record) {
        ++summary_.records;
        if (!summary_.first_ns || record.time_unix_ns < *summary_.first_ns)
            summary_.first_ns = record.time_unix_ns;
        if (!summary_.last_ns || record.time_unix_ns > *summary_.last_ns)
            summary_.last_ns = record.time_unix_ns;
        for (std::size_t i = pending_after_; i < summary_.damage.size(); ++i)
            summary_.damage[i].first_good_after_ns = record.time_unix_ns;
        pending_after_ = summary_.damage.size();
        last_good_ = record.time_unix_ns;
        on_record_(std::move(record));
    }

    void bad_record(const std::string& reason) {
        ++summary_.bad_records;
        if (summary_.bad_record_reasons.size() < kKeptReasons)
            summary_.bad_record_reasons.push_back(reason);
    }

    void damaged(std::size_t offset, std::size_t length, std::string reason, bool at_end) {
        DamagedRange range;
        range.offset = offset;
        range.length = length;
        range.reason = std::move(reason);
        range.last_good_before_ns = last_good_;
        range.at_end = at_end;
        summary_.damage.push_back(std::move(range));
    }

    std::span<const std::uint8_t> bytes_;
    RecordingReadSummary& summary_;
    const RecordHandler& on_record_;
    std::optional<std::int64_t> last_good_;
    std::size_t pending_after_ = 0;  // damage entries still waiting for a following record
};

class MappedFile {
  public:
    explicit MappedFile(const std::string& path) {
        fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) throw Error("read recording " + path, errno_text(errno));
        struct stat info {};
        if (fstat(fd_, &info) != 0) throw Error("read recording " + path, errno_text(errno));
        if (!S_ISREG(info.st_mode)) throw Error("read recording " + path, "not a regular file");
        size_ = static_cast<std::size_t>(info.st_size);
        if (size_ == 0) return;
        data_ = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
        if (data_ == MAP_FAILED) {
            data_ = nullptr;
            throw Error("read recording " + path, errno_text(errno));
        }
    }
    ~MappedFile() {
        if (data_) munmap(data_, size_);
        if (fd_ >= 0) close(fd_);
    }
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    std::span<const std::uint8_t> bytes() const {
        return {static_cast<const std::uint8_t*>(data_), data_ ? size_ : 0};
    }

  private:
    int fd_ = -1;
    void* data_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace

RecordingReadSummary read_recording(std::span<const std::uint8_t> bytes, const std::string& source,
                                    const RecordHandler& on_record) {
    const std::string action = "read recording " + source;
    RecordingReadSummary summary;
    summary.source = source;
    summary.size = bytes.size();
    const auto header = format::check_file_header(bytes);
    switch (header.check) {
        case format::FileHeaderCheck::ok:
        case format::FileHeaderCheck::damaged:  // the chunks may still be fine: try them
            break;
        case format::FileHeaderCheck::too_short:
            throw Error(action,
                        bytes.empty() ? "the file is empty"
                                      : "the file ends inside its header: nothing was recorded",
                        "was the recorder stopped right after it started?");
        case format::FileHeaderCheck::not_a_recording:
            throw Error(action, "not a pathwhy recording (it does not start with one's header)",
                        "record one with: pathwhy record --watch CIDR -o FILE");
        case format::FileHeaderCheck::newer_version:
            throw Error(action,
                        "written in format version " + std::to_string(header.version) +
                            "; this pathwhy reads up to version " +
                            std::to_string(format::kVersion),
                        "use a newer pathwhy to read it");
    }
    Walker walker(bytes, summary, on_record);
    if (header.check == format::FileHeaderCheck::damaged) {
        DamagedRange range;
        range.length = format::kFileHeaderSize;
        range.reason = "file header checksum mismatch";
        summary.damage.push_back(std::move(range));
    }
    walker.walk(format::kFileHeaderSize);
    return summary;
}

RecordingReadSummary read_recording_file(const std::string& path, const RecordHandler& on_record) {
    const MappedFile file(path);
    return read_recording(file.bytes(), path, on_record);
}

}  // namespace pathwhy
