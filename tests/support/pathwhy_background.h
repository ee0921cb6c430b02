// pathwhy running while a test makes traffic: started on a thread with --ready-file, so that the
// test sends nothing before the tracer is attached (a handshake, not a sleep), and can interrupt
// it like Ctrl-C by the pid pathwhy writes into that file.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "support/pathwhy_run.h"
#include "support/temp_dir.h"

namespace pathwhy::test {

class BackgroundPathwhy {
  public:
    // Starts `pathwhy ARGS --ready-file DIR/ready` at once.
    explicit BackgroundPathwhy(std::vector<std::string> args,
                               std::chrono::seconds timeout = std::chrono::seconds(90));
    // Waits for the ready file; returns pathwhy's pid, or 0 (and a test failure) if it never came.
    pid_t wait_ready(std::chrono::seconds timeout = std::chrono::seconds(30));
    // SIGINT, as Ctrl-C at a terminal.
    void interrupt();
    // Waits for pathwhy to end and returns what it printed.
    PathwhyRun finish();

  private:
    TempDir dir_;
    std::string ready_file_;
    pid_t pid_ = 0;
    std::future<PathwhyRun> run_;
};

}  // namespace pathwhy::test
