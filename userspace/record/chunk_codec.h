// The byte layout of a recording (docs/record-format.md): the file header, and chunks — a
// checksummed header, then a zlib-compressed, checksummed run of records. Pure: bytes in, bytes
// out, so the writer, the reader and the fuzzer share it. Nothing here trusts a length it read
// before its checksum has matched.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "record/records.h"

namespace pathwhy::record_format {

// PNG-style: a high byte, then CR LF, ^Z, LF, so a file mangled by a text-mode transfer fails the
// magic check instead of reading as garbage.
inline constexpr std::array<std::uint8_t, 8> kMagic{0x89, 'P', 'W', 'R', '\r', '\n', 0x1a, '\n'};
inline constexpr std::uint32_t kVersion = 1;
inline constexpr std::size_t kFileHeaderSize = 16;  // magic, u32 version, u32 crc32

inline constexpr std::array<std::uint8_t, 4> kChunkSync{'P', 'W', 'C', 'K'};
inline constexpr std::size_t kChunkHeaderSize = 40;
inline constexpr std::size_t kRecordHeaderSize = 13;  // u32 length, u8 type, i64 time
// A chunk's uncompressed payload never exceeds this, and its compressed payload (which DEFLATE
// can make slightly larger than its input) not this plus a sixteenth: a reader allocates no more
// for one chunk, whatever a (checksummed but hostile) header says.
inline constexpr std::uint32_t kMaxChunkPayload = 16u << 20;
inline constexpr std::uint32_t kMaxCompressedPayload = kMaxChunkPayload + (kMaxChunkPayload >> 4);

std::vector<std::uint8_t> file_header();

enum class FileHeaderCheck { ok, too_short, not_a_recording, damaged, newer_version };
struct FileHeader {
    FileHeaderCheck check = FileHeaderCheck::ok;
    std::uint32_t version = 0;
};
FileHeader check_file_header(std::span<const std::uint8_t> bytes);

struct ChunkHeader {
    std::uint32_t payload_length = 0;  // compressed
    std::uint32_t raw_length = 0;      // uncompressed
    std::uint32_t record_count = 0;
    std::int64_t first_time_ns = 0;
    std::int64_t last_time_ns = 0;
    std::uint32_t payload_crc = 0;
};

// The header at the start of `bytes`, if it has the sync word, a matching checksum and lengths
// within kMaxChunkPayload; nullopt otherwise (including when `bytes` is too short).
std::optional<ChunkHeader> parse_chunk_header(std::span<const std::uint8_t> bytes);

// The payload decompressed, or an error saying what is wrong with it (checksum, zlib, length).
struct ChunkPayload {
    std::vector<std::uint8_t> raw;
    std::string error;
};
ChunkPayload decode_chunk_payload(const ChunkHeader& header,
                                  std::span<const std::uint8_t> payload);

// Accumulates records, then frames them as one chunk.
class ChunkBuilder {
  public:
    // Encodes the record's body and appends it. Throws pathwhy::Error when one record alone is
    // larger than a chunk may be.
    void append(const Record& record);
    // Appends a record that encode_record() produced earlier (the writer's preamble).
    void append_encoded(std::span<const std::uint8_t> encoded, std::int64_t time_ns);
    bool empty() const { return count_ == 0; }
    std::size_t raw_size() const { return raw_.size(); }
    std::uint32_t record_count() const { return count_; }
    std::int64_t first_time_ns() const { return first_ns_; }
    std::int64_t last_time_ns() const { return last_ns_; }
    // The framed chunk: header and compressed payload. Empties the builder.
    std::vector<std::uint8_t> finish();

  private:
    std::vector<std::uint8_t> raw_;
    std::uint32_t count_ = 0;
    std::int64_t first_ns_ = 0;
    std::int64_t last_ns_ = 0;
};

// One record in its in-chunk form (header and body).
std::vector<std::uint8_t> encode_record(const Record& record);

// Walks the records of a decompressed payload. `on_record` gets each decodable record;
// `on_bad_record` a reason for each that is not (unknown type, body of the wrong shape). Returns
// false when the payload's framing itself is broken (a length running past the end).
bool for_each_record(std::span<const std::uint8_t> raw,
                     const std::function<void(Record&&)>& on_record,
                     const std::function<void(const std::string&)>& on_bad_record);

}  // namespace pathwhy::record_format
