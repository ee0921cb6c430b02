// InterruptGuard: signals become a flag, and the command runner gives up on its child.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>

#include "common/error.h"
#include "common/interrupt.h"
#include "common/process.h"

namespace pathwhy {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(InterruptGuard, TurnsASignalIntoTheFlag) {
    EXPECT_FALSE(interrupted());
    {
        InterruptGuard guard;
        EXPECT_FALSE(wait_for_interrupt(10ms));
        kill(getpid(), SIGTERM);
        ASSERT_TRUE(wait_for_interrupt(5s));
        EXPECT_EQ(interrupt_signal(), SIGTERM);
        try {
            throw_if_interrupted("build the lab");
            FAIL();
        } catch (const Error& e) {
            EXPECT_STREQ(e.what(), "cannot build the lab: interrupted by SIGTERM");
        }
    }
    EXPECT_FALSE(interrupted()) << "without a guard nothing is interrupted";
}

TEST(InterruptGuard, StopsTheRunnerWaitingForItsChild) {
    InterruptGuard guard;
    const auto start = Clock::now();
    // The child interrupts us, then would keep us waiting for 30 s.
    try {
        run_command({"sh", "-c", "kill -INT $PPID; exec sleep 30"});
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("interrupted by SIGINT"), std::string::npos)
            << e.what();
    }
    EXPECT_LT(Clock::now() - start, 5s);
}

TEST(InterruptGuard, TeardownCommandsStillRunAfterAnInterrupt) {
    InterruptGuard guard;
    kill(getpid(), SIGHUP);
    ASSERT_TRUE(wait_for_interrupt(5s));
    RunOptions teardown;
    teardown.interruptible = false;
    EXPECT_TRUE(run_command({"true"}, teardown).ok());
    EXPECT_THROW(run_command({"true"}), Error);
}

}  // namespace
}  // namespace pathwhy
