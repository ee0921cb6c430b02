// Turning SIGINT, SIGTERM and SIGHUP into a flag that long runs check between steps — a trace
// session, the recorder's loop, a lab's steps — so that Ctrl-C unwinds through RAII (BPF links
// detached, the recording closed, the lab torn down) instead of killing the process mid-way.
// Without an InterruptGuard the signals keep their default action and interrupted() stays false.
#pragma once

#include <signal.h>

#include <chrono>
#include <string>
#include <thread>

namespace pathwhy {

// Blocks the three signals and collects them on a sigwait thread. Construct it in main() before
// any other thread starts: threads inherit the mask, and a thread that does not block the signals
// would still take their default action.
class InterruptGuard {
  public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

  private:
    sigset_t previous_mask_;
    std::thread waiter_;
};

// True once one of the signals arrived while the current guard lives.
bool interrupted();
// The signal that interrupted us (SIGINT, ...), or 0.
int interrupt_signal();
// Throws Error(action, "interrupted by SIGINT") once interrupted.
void throw_if_interrupted(const std::string& action);
// Blocks until interrupted or the timeout passes; returns interrupted(). Lets a demo keep its lab
// up "until Ctrl-C".
bool wait_for_interrupt(std::chrono::milliseconds timeout);

}  // namespace pathwhy
