// Records of every type with every field away from its default, so that a round trip through
// the file format that drops or mangles a field shows. Shared by the format tests and the
// fuzzer's seed corpus.
#pragma once

#include <vector>

#include "record/records.h"

namespace pathwhy::test {

// In time order, one second apart, starting 2022-11-02 08:51:00 UTC; the snapshot is seed 000's.
std::vector<Record> sample_records();

}  // namespace pathwhy::test
