// `pathwhy record` run by a privileged test as a user runs it: in the background, its stderr in a
// log, started with the hidden --ready-file so the test waits for recording to begin instead of
// sleeping, and stopped with a signal of the test's choosing.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/process.h"

namespace pathwhy::test {

class RecorderProcess {
  public:
    // The command line that runs `pathwhy record ...` (a shell around it, say); by default, it.
    using Wrap = std::function<std::vector<std::string>(std::vector<std::string> record)>;

    // `arguments` follow `pathwhy record`; files go to `dir`. Waits until recording has begun;
    // a recorder that exits first fails the test with its log.
    RecorderProcess(const std::vector<std::string>& arguments, const std::string& dir,
                    const Wrap& wrap = {});

    bool ready() const { return ready_; }
    pid_t pid() const { return process_->pid(); }
    // Sends `signal` and waits for the exit: "exited with 0", "killed by SIGKILL".
    std::string stop(int signal);
    // Waits for the recorder to exit by itself (--duration, a write error).
    std::string wait(std::chrono::seconds timeout);
    std::string log() const;

  private:
    std::string log_path_;
    std::optional<ChildProcess> process_;
    bool ready_ = false;
};

}  // namespace pathwhy::test
