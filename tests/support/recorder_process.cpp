#include "support/recorder_process.h"

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

namespace pathwhy::test {

RecorderProcess::RecorderProcess(const std::vector<std::string>& arguments, const std::string& dir,
                                 const Wrap& wrap)
    : log_path_(dir + "/record.log") {
    const std::string ready_file = dir + "/ready";
    std::vector<std::string> argv{PATHWHY_BINARY, "record"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    argv.insert(argv.end(), {"--ready-file", ready_file});
    process_.emplace(wrap ? wrap(argv) : argv, log_path_, std::chrono::seconds(20));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!(ready_ = std::filesystem::exists(ready_file))) {
        if (process_->wait_exit(std::chrono::milliseconds(50))) break;
        if (std::chrono::steady_clock::now() > deadline) break;
    }
    EXPECT_TRUE(ready_) << "pathwhy record did not start recording:\n" << log();
}

std::string RecorderProcess::stop(int signal) {
    if (!process_->exited()) kill(process_->pid(), signal);
    return wait(std::chrono::seconds(30));
}

std::string RecorderProcess::wait(std::chrono::seconds timeout) {
    if (!process_->wait_exit(timeout)) {
        ADD_FAILURE() << "pathwhy record did not exit:\n" << log();
        process_->terminate();
    }
    return process_->exit_description();
}

std::string RecorderProcess::log() const {
    std::ifstream in(log_path_);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace pathwhy::test
