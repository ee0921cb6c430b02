#include "support/pathwhy_background.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <thread>

namespace pathwhy::test {

BackgroundPathwhy::BackgroundPathwhy(std::vector<std::string> args, std::chrono::seconds timeout)
    : ready_file_(dir_.file("ready")) {
    args.push_back("--ready-file");
    args.push_back(ready_file_);
    run_ =
        std::async(std::launch::async, [args, timeout] { return run_pathwhy(args, {}, timeout); });
}

pid_t BackgroundPathwhy::wait_ready(std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (std::ifstream ready{ready_file_}; ready >> pid_) return pid_;
        // pathwhy ended without getting ready (an error): no point waiting longer.
        if (run_.wait_for(std::chrono::milliseconds(50)) == std::future_status::ready) break;
    }
    ADD_FAILURE() << "pathwhy did not attach its tracer within " << timeout.count() << " s";
    return 0;
}

void BackgroundPathwhy::interrupt() {
    if (pid_ > 0) kill(pid_, SIGINT);
}

PathwhyRun BackgroundPathwhy::finish() { return run_.get(); }

}  // namespace pathwhy::test
