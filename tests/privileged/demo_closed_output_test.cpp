// `pathwhy demo 2>&1 | head -5`: the reader goes away once the lab's dockerd is starting, and
// every later write fails. pathwhy must still tear its lab down
// (namespaces, dockerd, containerd) and exit by itself, not die of SIGPIPE halfway.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <string>
#include <thread>

#include "support/lab_leftovers.h"
#include "support/privileges.h"

namespace pathwhy {
namespace {

using Clock = std::chrono::steady_clock;

// Reads from fd until a line contains `until` (or EOF); the text read.
std::string read_until(int fd, const std::string& until) {
    std::string text;
    char c = 0;
    while (read(fd, &c, 1) == 1) {
        text += c;
        if (c == '\n' && text.find(until) != std::string::npos) break;
    }
    return text;
}

TEST(DemoClosedOutput, TheLabIsStillTornDownAndPathwhyExits) {
    PATHWHY_REQUIRE_ROOT();
    int out[2];
    ASSERT_EQ(pipe(out), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        dup2(out[1], STDOUT_FILENO);
        dup2(out[1], STDERR_FILENO);
        close(out[0]);
        close(out[1]);
        execl(PATHWHY_BINARY, PATHWHY_BINARY, "demo", static_cast<char*>(nullptr));
        _exit(127);
    }
    close(out[1]);
    const std::string read = read_until(out[0], "starting dockerd");
    close(out[0]);  // like `head`: the rest of the output has nowhere to go
    ASSERT_NE(read.find("starting dockerd"), std::string::npos) << read;

    int status = 0;
    const auto deadline = Clock::now() + std::chrono::seconds(120);
    pid_t done = 0;
    while ((done = waitpid(child, &status, WNOHANG)) == 0 && Clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (done == 0) {
        kill(child, SIGKILL);
        waitpid(child, &status, 0);
        FAIL() << "pathwhy demo did not finish within 120 s after its reader went away";
    }
    EXPECT_FALSE(WIFSIGNALED(status)) << "killed by signal " << WTERMSIG(status);
    EXPECT_TRUE(WIFEXITED(status));
    const auto leftovers = test::lab_leftovers(child);
    std::string listed;
    for (const auto& item : leftovers) listed += "\n  " + item;
    EXPECT_TRUE(leftovers.empty()) << "left behind:" << listed;
}

}  // namespace
}  // namespace pathwhy
