// What the running kernel is, for tests whose expectations depend on it (a tracepoint that came
// in a given release).
#pragma once

namespace pathwhy::test {

bool kernel_at_least(int major, int minor);

}  // namespace pathwhy::test
