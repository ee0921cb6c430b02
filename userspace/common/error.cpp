#include "common/error.h"

#include <cstring>

namespace pathwhy {

std::string errno_text(int err) { return std::strerror(err < 0 ? -err : err); }

}  // namespace pathwhy
