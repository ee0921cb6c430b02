// Reading a recording back, as far as it can be read. A chunk that fails its checksum, bytes that
// are no chunk at all, a file cut off mid-chunk by SIGKILL or a full disk: each becomes a
// DamagedRange with the times on either side, reading resumes at the next intact chunk, and the
// caller gets every record that survived. Only a file that is not a recording at all (or is from
// a newer format) is an error.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "record/records.h"

namespace pathwhy {

struct DamagedRange {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    std::string reason;  // "checksum mismatch", "the file ends inside a chunk", ...
    std::optional<std::int64_t> last_good_before_ns;  // the last record read before it
    std::optional<std::int64_t> first_good_after_ns;  // the first record read after it
    bool at_end = false;  // nothing readable follows: the recording was cut off here
};

struct RecordingReadSummary {
    std::string source;  // the path, for messages
    std::uint64_t size = 0;
    std::size_t chunks = 0;
    std::size_t records = 0;
    std::size_t bad_records = 0;  // intact chunks, but a record that did not decode
    std::vector<std::string> bad_record_reasons;  // the first few
    std::optional<std::int64_t> first_ns;
    std::optional<std::int64_t> last_ns;
    std::vector<DamagedRange> damage;

    bool intact() const { return damage.empty() && bad_records == 0; }
};

using RecordHandler = std::function<void(Record&&)>;

// Reads `bytes` (a whole recording file). Throws pathwhy::Error when they are not a pathwhy
// recording, are cut off inside the file header, or come from a newer format version.
RecordingReadSummary read_recording(std::span<const std::uint8_t> bytes, const std::string& source,
                                    const RecordHandler& on_record);

// read_recording() on a file, mapped into memory. Throws pathwhy::Error when it cannot be opened.
RecordingReadSummary read_recording_file(const std::string& path, const RecordHandler& on_record);

}  // namespace pathwhy
