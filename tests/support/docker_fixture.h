// Recorded Engine API answers under tests/fixtures/docker/, read whole.
#pragma once

#include <string>

namespace pathwhy::test {

// "20.10/version.json" -> its text. A missing fixture fails the test that asked for it.
std::string docker_fixture(const std::string& relative);

}  // namespace pathwhy::test
