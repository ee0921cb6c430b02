#include "support/privileges.h"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace pathwhy::test {

bool running_as_root() { return geteuid() == 0; }

bool running_in_ci() {
    const char* ci = std::getenv("CI");
    return ci && std::string_view(ci) != "" && std::string_view(ci) != "false";
}

}  // namespace pathwhy::test
