// How much slower than this machine the lab runs: under qemu's TCG emulation everything takes
// 10-40 times as long (dockerd took over 30 s to answer in a 6.1 guest), so a VM harness sets
// PATHWHY_LAB_SLOWDOWN=N and every lab wait — dockerd's start, a `docker run`, a stream's
// first datagram — is N times as long. Unset, the host path waits exactly as before. It lives in
// common/ because the command runner (process.h) scales every deadline by it, and the lab, the
// tests and pathwhy itself all run commands through that one runner.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace pathwhy {

// The factor from PATHWHY_LAB_SLOWDOWN: 1 when unset. Throws Error naming the variable when it
// is not a whole number from 1 to 1000.
int lab_slowdown();
// TIMEOUT times lab_slowdown().
std::chrono::milliseconds scaled_timeout(std::chrono::milliseconds timeout);

// The variable's text parsed (nullopt for anything but a whole number from 1 to 1000); exposed
// for its unit test.
std::optional<int> parse_slowdown(std::string_view text);

}  // namespace pathwhy
