// libFuzzer target: any bytes through the recording reader, as `pathwhy report` reads a file.
// It may say the bytes are not a recording (pathwhy::Error), and must otherwise read what it can:
// never crash, hang, leak or allocate without bound. The same bytes also go straight to the
// record decoder, as a chunk's payload would after its checksum: mutations rarely get a checksum
// right, and the JSON-to-model decoding behind it deserves the fuzzer's attention too.
#include <cstddef>
#include <cstdint>

#include "common/error.h"
#include "record/chunk_codec.h"
#include "record/recording_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        std::size_t records = 0;
        const auto summary = pathwhy::read_recording(
            {data, size}, "fuzz", [&](pathwhy::Record&&) { ++records; });
        if (summary.records != records) __builtin_trap();
    } catch (const pathwhy::Error&) {
        // Not a recording: the clear error `pathwhy report` prints.
    }
    pathwhy::record_format::for_each_record(
        {data, size}, [](pathwhy::Record&&) {}, [](const std::string&) {});
    return 0;
}
