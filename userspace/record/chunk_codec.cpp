// Little-endian integers throughout; CRC-32 and DEFLATE from zlib. Record bodies are JSON text
// (record_json.h): measured at about 20 bytes per packet event on disk once compressed (see
// scripts/bench-record.sh), and a damaged file can still be inspected with zlib and a text viewer.
#include "record/chunk_codec.h"

#include <zlib.h>

#include <cstring>

#include "common/error.h"
#include "record/json_fields.h"
#include "record/record_json.h"

namespace pathwhy::record_format {
namespace {

void put_u32(std::uint8_t* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

void put_u64(std::uint8_t* p, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::uint32_t crc_of(std::span<const std::uint8_t> bytes) {
    // zlib takes a uInt length; chunks are capped far below 4 GiB.
    return static_cast<std::uint32_t>(
        crc32(crc32(0L, Z_NULL, 0), bytes.data(), static_cast<uInt>(bytes.size())));
}

constexpr std::uint8_t kLastType = static_cast<std::uint8_t>(RecordType::note);

}  // namespace

std::uint32_t read_u32(const std::uint8_t* p) {
    return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

std::uint64_t read_u64(const std::uint8_t* p) {
    return read_u32(p) | (static_cast<std::uint64_t>(read_u32(p + 4)) << 32);
}

std::vector<std::uint8_t> file_header() {
    std::vector<std::uint8_t> header(kFileHeaderSize);
    std::memcpy(header.data(), kMagic.data(), kMagic.size());
    put_u32(&header[8], kVersion);
    put_u32(&header[12], crc_of({header.data(), 12}));
    return header;
}

FileHeader check_file_header(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < kFileHeaderSize) {
        // A file cut off inside its header may still be ours: say so only if what is there fits.
        const bool prefix_matches =
            std::memcmp(bytes.data(), kMagic.data(), std::min(bytes.size(), kMagic.size())) == 0;
        return {prefix_matches ? FileHeaderCheck::too_short : FileHeaderCheck::not_a_recording, 0};
    }
    if (std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0)
        return {FileHeaderCheck::not_a_recording, 0};
    const std::uint32_t version = read_u32(&bytes[8]);
    if (read_u32(&bytes[12]) != crc_of(bytes.first(12))) return {FileHeaderCheck::damaged, version};
    if (version > kVersion) return {FileHeaderCheck::newer_version, version};
    return {FileHeaderCheck::ok, version};
}

std::optional<ChunkHeader> parse_chunk_header(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < kChunkHeaderSize) return std::nullopt;
    if (std::memcmp(bytes.data(), kChunkSync.data(), kChunkSync.size()) != 0) return std::nullopt;
    if (read_u32(&bytes[36]) != crc_of(bytes.first(36))) return std::nullopt;
    ChunkHeader header;
    header.payload_length = read_u32(&bytes[4]);
    header.raw_length = read_u32(&bytes[8]);
    header.record_count = read_u32(&bytes[12]);
    header.first_time_ns = static_cast<std::int64_t>(read_u64(&bytes[16]));
    header.last_time_ns = static_cast<std::int64_t>(read_u64(&bytes[24]));
    header.payload_crc = read_u32(&bytes[32]);
    if (header.payload_length > kMaxCompressedPayload || header.raw_length > kMaxChunkPayload)
        return std::nullopt;
    return header;
}

ChunkPayload decode_chunk_payload(const ChunkHeader& header,
                                  std::span<const std::uint8_t> payload) {
    ChunkPayload out;
    if (payload.size() != header.payload_length) {
        out.error = "payload length mismatch";
        return out;
    }
    if (crc_of(payload) != header.payload_crc) {
        out.error = "checksum mismatch";
        return out;
    }
    out.raw.resize(header.raw_length);
    uLongf length = header.raw_length;
    const int status = uncompress(out.raw.data(), &length, payload.data(), payload.size());
    if (status != Z_OK || length != header.raw_length) {
        out.raw.clear();
        out.error = status == Z_OK ? "decompressed size differs from the header"
                                   : std::string("zlib: ") + zError(status);
    }
    return out;
}

std::vector<std::uint8_t> encode_record(const Record& record) {
    const std::string body = record_json::body_to_json(record.body).dump();
    if (body.size() > kMaxChunkPayload - kRecordHeaderSize)
        throw Error("record a " + record_type_name(record.type()),
                    "it is " + std::to_string(body.size() >> 20) + " MiB, more than a chunk holds");
    std::vector<std::uint8_t> out(kRecordHeaderSize + body.size());
    put_u32(&out[0], static_cast<std::uint32_t>(body.size()));
    out[4] = static_cast<std::uint8_t>(record.type());
    put_u64(&out[5], static_cast<std::uint64_t>(record.time_unix_ns));
    std::memcpy(&out[kRecordHeaderSize], body.data(), body.size());
    return out;
}

std::optional<Record> decode_record(std::uint8_t type, std::int64_t time_ns,
                                    std::span<const std::uint8_t> body, std::string& error) {
    if (type == 0 || type > kLastType) {
        error = "unknown record type " + std::to_string(type) + " (written by a newer pathwhy?)";
        return std::nullopt;
    }
    auto document = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
    if (document.is_discarded()) {
        error = record_type_name(static_cast<RecordType>(type)) + " record: not JSON";
        return std::nullopt;
    }
    try {
        return Record{time_ns, record_json::body_from_json(static_cast<RecordType>(type), document)};
    } catch (const std::exception& e) {
        error = record_type_name(static_cast<RecordType>(type)) + " record: " + e.what();
        return std::nullopt;
    }
}

bool for_each_record(std::span<const std::uint8_t> raw,
                     const std::function<void(Record&&)>& on_record,
                     const std::function<void(const std::string&)>& on_bad_record) {
    std::size_t at = 0;
    while (at < raw.size()) {
        if (raw.size() - at < kRecordHeaderSize) return false;
        const std::uint32_t length = read_u32(&raw[at]);
        const std::uint8_t type = raw[at + 4];
        const auto time_ns = static_cast<std::int64_t>(read_u64(&raw[at + 5]));
        at += kRecordHeaderSize;
        if (length > raw.size() - at) return false;
        std::string error;
        if (auto record = decode_record(type, time_ns, raw.subspan(at, length), error))
            on_record(std::move(*record));
        else
            on_bad_record(error);
        at += length;
    }
    return true;
}

void ChunkBuilder::append(const Record& record) {
    append_encoded(encode_record(record), record.time_unix_ns);
}

void ChunkBuilder::append_encoded(std::span<const std::uint8_t> encoded, std::int64_t time_ns) {
    raw_.insert(raw_.end(), encoded.begin(), encoded.end());
    if (count_++ == 0) first_ns_ = time_ns;
    last_ns_ = time_ns;
}

std::vector<std::uint8_t> ChunkBuilder::finish() {
    uLongf bound = compressBound(raw_.size());
    std::vector<std::uint8_t> chunk(kChunkHeaderSize + bound);
    const int status = compress2(&chunk[kChunkHeaderSize], &bound, raw_.data(), raw_.size(),
                                 Z_DEFAULT_COMPRESSION);
    if (status != Z_OK) throw Error("compress a recording chunk", zError(status));
    chunk.resize(kChunkHeaderSize + bound);
    std::memcpy(chunk.data(), kChunkSync.data(), kChunkSync.size());
    put_u32(&chunk[4], static_cast<std::uint32_t>(bound));
    put_u32(&chunk[8], static_cast<std::uint32_t>(raw_.size()));
    put_u32(&chunk[12], count_);
    put_u64(&chunk[16], static_cast<std::uint64_t>(first_ns_));
    put_u64(&chunk[24], static_cast<std::uint64_t>(last_ns_));
    put_u32(&chunk[32], crc_of({&chunk[kChunkHeaderSize], bound}));
    put_u32(&chunk[36], crc_of({chunk.data(), 36}));
    raw_.clear();
    count_ = 0;
    return chunk;
}

}  // namespace pathwhy::record_format
