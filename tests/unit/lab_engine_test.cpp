// Choosing a lab's Docker engine and scaling its waits under emulation, without root: names,
// where an unpacked engine is looked for, and PATHWHY_LAB_SLOWDOWN's parsing.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "common/error.h"
#include "common/slowdown.h"
#include "lab/docker_engine.h"

namespace pathwhy::lab {
namespace {

TEST(LabEngine, TheSystemEngineComesFirstAndTheUnpackedOneLivesInTheCache) {
    EXPECT_EQ(engine_names(), (std::vector<std::string>{"20.10", "26.1"}));
    setenv("PATHWHY_ENGINE_CACHE", "/nonexistent-pathwhy-engines", 1);
    EXPECT_EQ(unpacked_engine_dir("26.1"), "/nonexistent-pathwhy-engines/docker-26.1");
    const auto missing = engine_missing("26.1");
    ASSERT_TRUE(missing);
    EXPECT_NE(missing->find("/nonexistent-pathwhy-engines/docker-26.1/root/usr/sbin/dockerd"),
              std::string::npos)
        << *missing;
    EXPECT_NE(missing->find("scripts/fetch-docker-engine.sh"), std::string::npos) << *missing;
    unsetenv("PATHWHY_ENGINE_CACHE");
    EXPECT_EQ(unpacked_engine_dir("26.1"), "/var/cache/pathwhy/engines/docker-26.1");
}

TEST(LabEngine, AnUnknownEngineIsRefusedByName) {
    EXPECT_NE(engine_missing("19.03").value_or("").find("unknown Docker engine '19.03'"),
              std::string::npos);
    EXPECT_THROW(find_engine("19.03"), Error);
    setenv("PATHWHY_LAB_ENGINE", "26.1", 1);
    EXPECT_EQ(default_engine(), "26.1");
    unsetenv("PATHWHY_LAB_ENGINE");
    EXPECT_EQ(default_engine(), "20.10");
}

TEST(LabSlowdown, AWholeFactorScalesEveryWaitAndAnythingElseIsRefused) {
    EXPECT_EQ(parse_slowdown("1"), 1);
    EXPECT_EQ(parse_slowdown("40"), 40);
    for (const char* bad : {"", "0", "-3", "2.5", "10x", "1001"})
        EXPECT_FALSE(parse_slowdown(bad)) << bad;

    unsetenv("PATHWHY_LAB_SLOWDOWN");
    EXPECT_EQ(scaled_timeout(std::chrono::seconds(30)), std::chrono::seconds(30));
    setenv("PATHWHY_LAB_SLOWDOWN", "20", 1);
    EXPECT_EQ(scaled_timeout(std::chrono::seconds(30)), std::chrono::seconds(600));
    setenv("PATHWHY_LAB_SLOWDOWN", "fast", 1);
    EXPECT_THROW(scaled_timeout(std::chrono::seconds(30)), Error);
    unsetenv("PATHWHY_LAB_SLOWDOWN");
}

}  // namespace
}  // namespace pathwhy::lab
