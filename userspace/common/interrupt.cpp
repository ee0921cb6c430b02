// The process-wide interrupt flag and the sigwait thread that sets it.
#include "common/interrupt.h"

#include <pthread.h>
#include <string.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "common/error.h"

namespace pathwhy {
namespace {

std::atomic<int> g_signal{0};
std::atomic<bool> g_stopping{false};
std::mutex g_mutex;
std::condition_variable g_changed;

sigset_t interrupt_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    return set;
}

}  // namespace

InterruptGuard::InterruptGuard() {
    g_signal = 0;
    g_stopping = false;
    const sigset_t set = interrupt_signals();
    pthread_sigmask(SIG_BLOCK, &set, &previous_mask_);
    waiter_ = std::thread([set] {
        for (;;) {
            int sig = 0;
            if (sigwait(&set, &sig) != 0 || g_stopping) return;
            {
                std::lock_guard lock(g_mutex);
                // The first signal names the interruption; a second Ctrl-C must not hide it.
                int expected = 0;
                g_signal.compare_exchange_strong(expected, sig);
            }
            g_changed.notify_all();
        }
    });
}

InterruptGuard::~InterruptGuard() {
    // Wake the waiter with one of its own signals, aimed at it alone; it sees g_stopping and ends.
    g_stopping = true;
    pthread_kill(waiter_.native_handle(), SIGHUP);
    waiter_.join();
    pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
    g_signal = 0;  // without a guard, nothing is interrupted
}

bool interrupted() { return g_signal != 0; }

int interrupt_signal() { return g_signal; }

void throw_if_interrupted(const std::string& action) {
    if (const int sig = g_signal)
        throw Error(action, std::string("interrupted by SIG") + sigabbrev_np(sig));
}

bool wait_for_interrupt(std::chrono::milliseconds timeout) {
    std::unique_lock lock(g_mutex);
    return g_changed.wait_for(lock, timeout, [] { return g_signal != 0; });
}

}  // namespace pathwhy
