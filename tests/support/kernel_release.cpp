#include "support/kernel_release.h"

#include <sys/utsname.h>

#include <cstdio>

namespace pathwhy::test {

bool kernel_at_least(int major, int minor) {
    utsname name{};
    if (uname(&name) != 0) return false;
    int have_major = 0, have_minor = 0;
    std::sscanf(name.release, "%d.%d", &have_major, &have_minor);
    return have_major > major || (have_major == major && have_minor >= minor);
}

}  // namespace pathwhy::test
