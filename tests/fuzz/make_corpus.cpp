// Writes the fuzzer's seed corpus: recordings a real writer made (every record type, one chunk
// per record; a rotated small file), so that fuzzing starts past the header and checksums.
#include <cstdio>
#include <filesystem>
#include <string>

#include "record/recording_writer.h"
#include "support/record_samples.h"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    std::filesystem::create_directories(dir);
    const auto samples = pathwhy::test::sample_records();
    {
        pathwhy::RecordingWriter writer(dir + "/every-type", {}, nullptr);
        for (const auto& record : samples) {
            writer.append(record);
            writer.flush();
        }
    }
    {
        pathwhy::RecordingWriter writer(dir + "/one-chunk", {}, nullptr);
        for (const auto& record : samples)
            if (record.type() != pathwhy::RecordType::snapshot) writer.append(record);
    }
    for (const auto& leftover : {"every-type.1", "one-chunk.1"})
        std::filesystem::remove(dir + "/" + leftover);
    return 0;
}
