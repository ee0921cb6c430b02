// Running programs: an argv vector, never a shell, with a deadline, optional stdin data and extra
// environment, capturing stdout and stderr — the system tools diagnosis reads (iptables-save, nft),
// the recorder's --on-incident command, and the tools a lab is built with (ip, docker, nsenter).
// The child is made by the calling thread and so starts in that thread's network namespace: a
// reader inside a NetnsScope gets the diagnosed namespace's view. Also ChildProcess, the RAII
// handle for a long-running child such as dockerd.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pathwhy {

struct RunOptions {
    std::chrono::milliseconds timeout{30'000};
    std::vector<std::pair<std::string, std::string>> env;  // set on top of our environment
    std::string stdin_data;                                // empty: stdin is /dev/null
    // Teardown passes false: after Ctrl-C it still has to finish removing the lab.
    bool interruptible = true;
};

struct ProcessResult {
    std::vector<std::string> argv;
    int exit_code = -1;   // -1 when ended by a signal
    int term_signal = 0;  // the signal that ended it, or 0
    bool timed_out = false;
    std::string out;
    std::string err;

    bool ok() const { return exit_code == 0 && !timed_out; }
    // "exited with 1: Error response from daemon: ..." — the status and stderr's last line.
    std::string failure() const;
};

// "docker network create ..." as a reader would type it (quoted where needed), for messages.
std::string display_command(const std::vector<std::string>& argv);

// Runs argv[0] (searched in PATH) to completion or until the deadline, when the child's process
// group is killed and timed_out is set. Throws Error when the program cannot be started, or when
// interrupted (see interrupt.h) while options.interruptible; a failing exit status is returned.
ProcessResult run_command(const std::vector<std::string>& argv, const RunOptions& options = {});
// run_command, but a failing exit status or timeout throws Error naming the command and the last
// line of its stderr.
ProcessResult run_checked(const std::vector<std::string>& argv, const RunOptions& options = {});

// Commands that must finish even after Ctrl-C: a lab's teardown, a read of the state being
// diagnosed, the recorder's incident command.
RunOptions uninterruptible(std::chrono::milliseconds timeout = std::chrono::seconds(30));

// A pidfd for PID (close it), or -1 with errno set. Through syscall(): glibc 2.36's
// <sys/pidfd.h> lacks extern "C", so its pidfd_open() does not link from C++.
int open_pidfd(pid_t pid);

// A long-running child in its own process group (so Ctrl-C at the terminal reaches us, not it),
// with stdin on /dev/null and stdout and stderr appended to a log file. The destructor terminates
// it: SIGTERM, then SIGKILL after the grace period.
class ChildProcess {
  public:
    ChildProcess(const std::vector<std::string>& argv, const std::string& log_path,
                 std::chrono::milliseconds grace = std::chrono::seconds(20));
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    // Waits up to timeout for the child to exit and reaps it; false if still running.
    bool wait_exit(std::chrono::milliseconds timeout);
    bool exited() const { return exited_; }
    // "exited with 1" / "killed by SIGKILL"; only meaningful once exited().
    std::string exit_description() const;
    // SIGTERM, wait up to the grace period, then SIGKILL. Never throws; idempotent.
    void terminate() noexcept;

  private:
    pid_t pid_ = -1;
    int pidfd_ = -1;
    bool exited_ = false;
    int status_ = 0;
    std::chrono::milliseconds grace_;
};

}  // namespace pathwhy
