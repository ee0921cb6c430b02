// Privileged tests need root. Outside CI a non-root run skips them with the reason; in CI
// (CI=true) a privileged test that cannot run is a failure, never a silent skip.
#pragma once

#include <gtest/gtest.h>

namespace pathwhy::test {

bool running_as_root();
bool running_in_ci();

}  // namespace pathwhy::test

#define PATHWHY_REQUIRE_ROOT()                                                           \
    do {                                                                                 \
        if (!::pathwhy::test::running_as_root()) {                                       \
            if (::pathwhy::test::running_in_ci()) FAIL() << "CI must run as root";       \
            GTEST_SKIP() << "needs root: builds network namespaces and starts dockerd";  \
        }                                                                                \
    } while (0)
