// NetnsScope's refusals, which need no privilege: they happen before setns(2). Entering a real
// namespace is covered by tests/privileged/kernel_snapshot_test.cpp.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "common/error.h"
#include "kernel/netns.h"

namespace pathwhy {
namespace {

// The Error NetnsScope throws for `target`, or a failure when it does not throw one.
Error refusal(const std::string& target) {
    try {
        NetnsScope scope(target);
    } catch (const Error& error) {
        return error;
    }
    ADD_FAILURE() << "entered " << target;
    return Error("", "");
}

TEST(KernelNetnsScope, UnknownNameSuggestsIpNetnsList) {
    std::string name = fmt::format("pw{}nosuch", getpid());
    Error error = refusal(name);
    EXPECT_EQ(std::string(error.what()),
              fmt::format("cannot enter network namespace: no network namespace named '{}'", name));
    EXPECT_EQ(error.hint(), "see `ip netns list`");
}

TEST(KernelNetnsScope, MissingPathIsNamed) {
    Error error = refusal("/proc/999999999/ns/net");
    EXPECT_EQ(std::string(error.what()),
              "cannot enter network namespace: /proc/999999999/ns/net does not exist");
}

TEST(KernelNetnsScope, OrdinaryFileIsNotANamespace) {
    Error error = refusal("/proc/self/status");
    EXPECT_EQ(std::string(error.what()),
              "cannot enter network namespace: /proc/self/status is not a network namespace");
    EXPECT_EQ(error.hint(), "give a name from `ip netns list` or a path like /proc/PID/ns/net");
}

TEST(KernelNetnsScope, NamespaceOfAnotherKindIsNotANetworkNamespace) {
    Error error = refusal("/proc/thread-self/ns/uts");
    EXPECT_EQ(std::string(error.what()),
              "cannot enter network namespace: /proc/thread-self/ns/uts is not a network "
              "namespace");
}

TEST(KernelNetnsScope, CurrentInodeIsTheThreadsNetworkNamespace) {
    struct stat status {};
    ASSERT_EQ(stat("/proc/self/ns/net", &status), 0);  // one thread: self and thread-self agree
    EXPECT_EQ(current_netns_inode(), status.st_ino);
}

}  // namespace
}  // namespace pathwhy
