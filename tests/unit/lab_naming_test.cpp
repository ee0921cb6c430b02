// Lab names: what the reaper parses must be exactly what labs create, and nothing else.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab/naming.h"

namespace pathwhy::lab {
namespace {

TEST(LabNaming, NamesCarryThePidRoleAndSequence) {
    EXPECT_EQ(namespace_name({12345, 0}, kHostRole), "pw12345h0");
    EXPECT_EQ(namespace_name({12345, 3}, kPeerRole), "pw12345p3");
    EXPECT_EQ(lab_dir({12345, 7}), "/tmp/pathwhy-lab-12345-7");
}

TEST(LabNaming, NamespaceNamesFitAnInterfaceNameEvenForTheLargestPid) {
    // pid_max is at most 2^22; a process would need 10^4 labs to reach 16 characters.
    EXPECT_LE(namespace_name({4194304, 9999}, kHostRole).size(), 15u);
}

TEST(LabNaming, ParsesWhatItFormats) {
    for (const LabId id : {LabId{1, 0}, LabId{12345, 0}, LabId{4194304, 42}}) {
        EXPECT_EQ(parse_namespace_name(namespace_name(id, kHostRole)), id);
        EXPECT_EQ(parse_namespace_name(namespace_name(id, kPeerRole)), id);
        const std::string dir = lab_dir(id);
        EXPECT_EQ(parse_lab_dir_name(dir.substr(dir.rfind('/') + 1)), id);
    }
}

TEST(LabNaming, IgnoresEverythingElse) {
    for (const char* other :
         {"", "pw", "pw-host", "pw-peer", "pw12345", "pw12345h", "pw12345x0", "pw0h0", "pw012h0",
          "pw-5h0", "pw12345h0x", "pw12345h01", "pwdk3143", "pwt3270h", "xpw12345h0"})
        EXPECT_FALSE(parse_namespace_name(other)) << other;
    for (const char* other :
         {"pathwhy-lab-", "pathwhy-lab-12345", "pathwhy-lab-12345-", "pathwhy-lab-12345-1x",
          "pathwhy-lab-0-1", "pathwhy-lab-test-ready-1", "pathwhy-lab-12345-1.log", "pwdk3143"})
        EXPECT_FALSE(parse_lab_dir_name(other)) << other;
}

TEST(LabNaming, EachLabOfAProcessGetsItsOwnId) {
    const LabId first = next_lab_id();
    const LabId second = next_lab_id();
    EXPECT_EQ(first.pid, second.pid);
    EXPECT_NE(first, second);
}

TEST(LabNaming, OwnerIsGoneWhenItsPidIsDeadOrAnUnusedNumberOfOurs) {
    EXPECT_FALSE(owner_gone({getppid(), 0}));
    EXPECT_FALSE(owner_gone(next_lab_id()));
    EXPECT_TRUE(owner_gone({getpid(), 1'000'000}));
    const pid_t child = fork();
    if (child == 0) _exit(0);
    waitpid(child, nullptr, 0);
    EXPECT_TRUE(owner_gone({child, 0}));
}

}  // namespace
}  // namespace pathwhy::lab
