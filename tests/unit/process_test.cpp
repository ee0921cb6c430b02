// The command runner and ChildProcess, with harmless programs: no root, no network.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/process.h"
#include "lab/pids.h"

namespace pathwhy {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

bool mentions(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(RunCommand, CapturesStdoutStderrAndStatus) {
    const auto result = run_command({"sh", "-c", "echo out; echo err >&2; exit 3"});
    EXPECT_EQ(result.out, "out\n");
    EXPECT_EQ(result.err, "err\n");
    EXPECT_EQ(result.exit_code, 3);
    EXPECT_FALSE(result.ok());
    EXPECT_EQ(result.failure(), "exited with 3: err");
}

TEST(RunCommand, AFailureQuotesTheErrorLineNotAHintAfterIt) {
    const auto result = run_command(
        {"sh", "-c",
         "echo 'docker: Error response from daemon: no such image.' >&2; "
         "echo \"Run 'docker run --help' for more information\" >&2; exit 125"});
    EXPECT_EQ(result.failure(), "exited with 125: docker: Error response from daemon: no such image.");
}

TEST(RunCommand, PassesArgumentsVerbatimWithoutAShell) {
    const auto result = run_command({"echo", "$HOME", "a b", "*"});
    EXPECT_EQ(result.out, "$HOME a b *\n");
}

TEST(RunCommand, FeedsStdinLargerThanAPipe) {
    RunOptions options;
    options.stdin_data = std::string(3 << 20, 'x') + "end";
    const auto result = run_checked({"cat"}, options);
    EXPECT_EQ(result.out, options.stdin_data);
}

TEST(RunCommand, ChildThatIgnoresStdinDoesNotHangOrKillUs) {
    RunOptions options;
    options.stdin_data = std::string(3 << 20, 'x');  // more than the socket buffer takes
    EXPECT_TRUE(run_command({"true"}, options).ok());
}

TEST(RunCommand, AddsAndOverridesEnvironment) {
    RunOptions options;
    options.env = {{"PATHWHY_TEST_VAR", "one"}, {"HOME", "/nowhere"}};
    const auto out = run_checked({"env"}, options).out;
    EXPECT_TRUE(mentions(out, "\nPATHWHY_TEST_VAR=one\n")) << out;
    EXPECT_TRUE(mentions(out, "HOME=/nowhere\n")) << out;
    EXPECT_FALSE(mentions(out, "HOME=/root\n")) << out;
}

TEST(RunCommand, KillsTheWholeProcessGroupAtTheDeadline) {
    RunOptions options;
    options.timeout = 300ms;
    const auto start = Clock::now();
    // The shell's background sleep holds stdout open: it must die with the group.
    const auto result = run_command({"sh", "-c", "sleep 30 & echo $!; wait"}, options);
    EXPECT_LT(Clock::now() - start, 5s);
    EXPECT_TRUE(result.timed_out);
    EXPECT_FALSE(result.ok());
    const pid_t grandchild = std::stoi(result.out);
    EXPECT_TRUE(lab::wait_until_gone(grandchild, 5s));
}

TEST(RunChecked, NamesTheCommandAndTheLastLineOfStderr) {
    try {
        run_checked({"sh", "-c", "echo first >&2; echo 'the reason' >&2; exit 1"});
        FAIL();
    } catch (const Error& e) {
        EXPECT_TRUE(mentions(e.what(), "cannot run sh -c 'echo first")) << e.what();
        EXPECT_TRUE(mentions(e.what(), "exited with 1: the reason")) << e.what();
    }
}

TEST(RunChecked, MissingProgramIsAnError) {
    try {
        run_checked({"pathwhy-no-such-program"});
        FAIL();
    } catch (const Error& e) {
        EXPECT_TRUE(mentions(e.what(), "cannot run pathwhy-no-such-program: No such file"))
            << e.what();
    }
}

TEST(ChildProcess, TerminatesWithSigtermAndReportsHowItEnded) {
    ChildProcess child({"sleep", "30"}, "/dev/null");
    EXPECT_TRUE(lab::process_alive(child.pid()));
    EXPECT_FALSE(child.wait_exit(50ms));
    child.terminate();
    EXPECT_TRUE(child.exited());
    EXPECT_EQ(child.exit_description(), "killed by SIGTERM");
}

TEST(ChildProcess, EscalatesToSigkillAfterTheGracePeriod) {
    // An ignored signal stays ignored across exec, so sleep itself ignores SIGTERM.
    ChildProcess child({"sh", "-c", "trap '' TERM; exec sleep 30"}, "/dev/null", 200ms);
    // SIGTERM before the trap would simply end the shell: wait until sleep has taken over.
    const auto ready_by = Clock::now() + 5s;
    while (lab::process_cmdline(child.pid()) != std::vector<std::string>{"sleep", "30"}) {
        ASSERT_FALSE(child.wait_exit(10ms));
        ASSERT_LT(Clock::now(), ready_by);
    }
    const auto start = Clock::now();
    child.terminate();
    EXPECT_LT(Clock::now() - start, 5s);
    EXPECT_EQ(child.exit_description(), "killed by SIGKILL");
}

TEST(ChildProcess, ReportsItsOwnExit) {
    ChildProcess child({"sh", "-c", "exit 7"}, "/dev/null");
    ASSERT_TRUE(child.wait_exit(5s));
    EXPECT_EQ(child.exit_description(), "exited with 7");
}

TEST(DisplayCommand, QuotesWhatAShellWouldSplit) {
    EXPECT_EQ(display_command({"docker", "inspect", "--format", "{{.Id}}", "a b"}),
              "docker inspect --format '{{.Id}}' 'a b'");
}

}  // namespace
}  // namespace pathwhy
