// The recording format on its own: every record type survives a write and a read, files are
// 0600 and rotate, and damaged files — cut off at any byte, a byte flipped anywhere, garbage in
// between — read as far as they can, with the damage located in time, and never crash.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "explain/explainer.h"
#include "record/chunk_codec.h"
#include "record/record_json.h"
#include "record/recording_reader.h"
#include "record/recording_writer.h"
#include "report/json_report.h"
#include "support/record_samples.h"
#include "support/seed_fixture.h"
#include "support/temp_dir.h"

namespace pathwhy {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::vector<Record> read_all(const Bytes& bytes, RecordingReadSummary* summary = nullptr) {
    std::vector<Record> records;
    auto result = read_recording(bytes, "test", [&](Record&& r) { records.push_back(std::move(r)); });
    if (summary) *summary = std::move(result);
    return records;
}

// Writes `records` as one chunk each, so damage tests have several chunks to lose one of.
std::string write_chunk_per_record(const test::TempDir& dir, const std::vector<Record>& records) {
    const std::string path = dir.file("rec");
    RecordingWriter writer(path, {}, nullptr);
    for (const auto& record : records) {
        writer.append(record);
        writer.flush();
    }
    writer.close();
    return path;
}

TEST(RecordFormat, EveryRecordTypeSurvivesAWriteAndARead) {
    test::TempDir dir;
    const auto samples = test::sample_records();
    const std::string path = dir.file("rec");
    {
        RecordingWriter writer(path, {}, nullptr);
        for (const auto& record : samples) writer.append(record);
    }
    RecordingReadSummary summary;
    const auto read = read_all(read_bytes(path), &summary);
    EXPECT_TRUE(summary.intact());
    ASSERT_EQ(read.size(), samples.size());
    for (std::size_t i = 0; i < samples.size(); ++i) {
        EXPECT_EQ(read[i].time_unix_ns, samples[i].time_unix_ns);
        EXPECT_EQ(read[i].type(), samples[i].type());
        EXPECT_EQ(record_json::body_to_json(read[i].body), record_json::body_to_json(samples[i].body))
            << record_type_name(samples[i].type());
    }
    EXPECT_EQ(summary.first_ns, samples.front().time_unix_ns);
    EXPECT_EQ(summary.last_ns, samples.back().time_unix_ns);
}

TEST(RecordFormat, ARecordedSnapshotExplainsExactlyAsTheLiveOne) {
    const Snapshot live = test::seed000_snapshot();
    const Snapshot replayed = record_json::snapshot_from_json(record_json::snapshot_to_json(live));
    const auto peer = *Ipv4Address::parse("172.31.151.55");
    EXPECT_EQ(diagnosis_to_json(explain_destination(replayed, peer), {}),
              diagnosis_to_json(explain_destination(live, peer), {}));
}

TEST(RecordFormat, FilesAreReadableByTheirOwnerOnly) {
    test::TempDir dir;
    const mode_t old_umask = umask(0);
    { RecordingWriter writer(dir.file("rec"), {}, nullptr); }
    umask(old_umask);
    struct stat info {};
    ASSERT_EQ(stat(dir.file("rec").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST(RecordFormat, RotationKeepsEveryFileReadableOnItsOwn) {
    test::TempDir dir;
    const std::string path = dir.file("rec");
    RecordingLimits limits;
    limits.max_total_bytes = 3 * 16 * 1024;
    limits.max_files = 3;
    limits.chunk_bytes = 4096;
    const auto samples = test::sample_records();
    std::uint32_t preambles = 0;
    {
        RecordingWriter writer(path, limits, [&](std::uint32_t index) {
            ++preambles;
            Record session = samples[0];
            std::get<SessionInfo>(session.body).file_index = index;
            return std::vector<Record>{session};
        });
        for (int i = 0; i < 20000; ++i) {
            Record event = samples[2 + i % 5];
            auto& packet = std::get<ObservedEvent>(event.body).packet;
            packet.source_port = static_cast<std::uint16_t>(i * 7919);  // defeats compression
            event.time_unix_ns += i;
            writer.append(event);
        }
        EXPECT_GE(writer.stats().rotations, 3u);
    }
    EXPECT_FALSE(std::filesystem::exists(rotated_path(path, 3)));
    for (const std::string& file : {path, rotated_path(path, 1), rotated_path(path, 2)}) {
        ASSERT_TRUE(std::filesystem::exists(file)) << file;
        EXPECT_LE(std::filesystem::file_size(file), limits.max_file_bytes()) << file;
        RecordingReadSummary summary;
        const auto records = read_all(read_bytes(file), &summary);
        EXPECT_TRUE(summary.intact()) << file;
        ASSERT_FALSE(records.empty());
        EXPECT_EQ(records.front().type(), RecordType::session) << file << " lacks its preamble";
    }
    EXPECT_GE(preambles, 4u);
}

TEST(RecordFormat, AnExistingFileIsRotatedAwayNotOverwritten) {
    test::TempDir dir;
    const auto samples = test::sample_records();
    const std::string path = write_chunk_per_record(dir, samples);
    { RecordingWriter writer(path, {}, nullptr); }
    EXPECT_EQ(read_all(read_bytes(rotated_path(path, 1))).size(), samples.size());
    EXPECT_TRUE(read_all(read_bytes(path)).empty());
}

TEST(RecordFormat, ACutAtAnyByteReadsEveryWholeChunkAndSaysWhereItEnds) {
    test::TempDir dir;
    const auto samples = test::sample_records();
    const Bytes whole = read_bytes(write_chunk_per_record(dir, samples));
    std::size_t previous = 0;
    for (std::size_t length = 0; length < whole.size(); ++length) {
        const Bytes cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(length));
        if (length < record_format::kFileHeaderSize) {
            EXPECT_THROW(read_all(cut), Error) << length;
            continue;
        }
        RecordingReadSummary summary;
        const auto records = read_all(cut, &summary);
        EXPECT_GE(records.size(), previous) << "a longer prefix read fewer records";
        previous = records.size();
        EXPECT_EQ(summary.bad_records, 0u);
        if (summary.damage.empty()) continue;  // cut exactly between chunks
        ASSERT_EQ(summary.damage.size(), 1u) << length;
        EXPECT_TRUE(summary.damage[0].at_end);
        if (!records.empty()) {
            EXPECT_EQ(summary.damage[0].last_good_before_ns, records.back().time_unix_ns);
        }
    }
    EXPECT_EQ(read_all(whole).size(), samples.size());
}

TEST(RecordFormat, AFlippedByteLosesOnlyItsOwnChunk) {
    test::TempDir dir;
    const auto samples = test::sample_records();
    const Bytes whole = read_bytes(write_chunk_per_record(dir, samples));
    for (std::size_t at = record_format::kFileHeaderSize; at < whole.size(); at += 7) {
        Bytes damaged = whole;
        damaged[at] ^= 0x5a;
        RecordingReadSummary summary;
        const auto records = read_all(damaged, &summary);
        EXPECT_GE(records.size(), samples.size() - 1) << "flip at " << at;
        ASSERT_EQ(summary.damage.size(), 1u) << "flip at " << at;
        const DamagedRange& range = summary.damage[0];
        EXPECT_LE(range.offset, at);
        EXPECT_GT(range.offset + range.length, at);
        if (range.last_good_before_ns && range.first_good_after_ns) {
            EXPECT_LT(*range.last_good_before_ns, *range.first_good_after_ns);
        }
    }
}

TEST(RecordFormat, GarbageBetweenChunksIsSkipped) {
    test::TempDir dir;
    const auto samples = test::sample_records();
    Bytes bytes = read_bytes(write_chunk_per_record(dir, samples));
    // Into the middle of the file, at a chunk boundary: a stray "PWCK" and noise.
    const Bytes garbage{'P', 'W', 'C', 'K', 1, 2, 3, 4, 5, 'P', 'W', 'C', 0, 0xff};
    RecordingReadSummary first;
    read_all(bytes, &first);
    std::size_t boundary = record_format::kFileHeaderSize;
    while (boundary < bytes.size() / 2) {
        auto header = record_format::parse_chunk_header({bytes.data() + boundary, bytes.size() - boundary});
        ASSERT_TRUE(header);
        boundary += record_format::kChunkHeaderSize + header->payload_length;
    }
    bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(boundary), garbage.begin(), garbage.end());
    RecordingReadSummary summary;
    EXPECT_EQ(read_all(bytes, &summary).size(), samples.size());
    ASSERT_EQ(summary.damage.size(), 1u);
    EXPECT_EQ(summary.damage[0].length, garbage.size());
    EXPECT_FALSE(summary.damage[0].at_end);
}

TEST(RecordFormat, SomethingElseIsAClearError) {
    const std::string text = "this is not a recording at all";
    try {
        read_all(Bytes(text.begin(), text.end()));
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("not a pathwhy recording"), std::string::npos);
    }
    EXPECT_THROW(read_all(Bytes{}), Error);
}

TEST(RecordFormat, ANewerVersionIsAClearError) {
    Bytes header = record_format::file_header();
    header[8] = 9;  // version 9, with a checksum to match: a genuine newer file
    const auto crc = static_cast<std::uint32_t>(crc32(0L, header.data(), 12));
    for (int i = 0; i < 4; ++i) header[12 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
    try {
        read_all(header);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("version"), std::string::npos) << e.what();
    }
}

TEST(RecordFormat, UnknownRecordTypesAreSkippedNotFatal) {
    record_format::ChunkBuilder chunk;
    auto encoded = record_format::encode_record(test::sample_records().back());
    encoded[4] = 200;  // a type from the future
    chunk.append_encoded(encoded, 1);
    chunk.append(test::sample_records().back());
    Bytes bytes = record_format::file_header();
    const Bytes framed = chunk.finish();
    bytes.insert(bytes.end(), framed.begin(), framed.end());
    RecordingReadSummary summary;
    EXPECT_EQ(read_all(bytes, &summary).size(), 1u);
    EXPECT_EQ(summary.bad_records, 1u);
    ASSERT_FALSE(summary.bad_record_reasons.empty());
    EXPECT_NE(summary.bad_record_reasons[0].find("unknown record type 200"), std::string::npos);
}

}  // namespace
}  // namespace pathwhy
