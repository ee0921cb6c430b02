// Fix commands are pasted into a root shell: every name that came from Docker (networks,
// containers, projects) goes through shell_quote, however tame Docker's naming rules are today.
#pragma once

#include <string>

namespace pathwhy {

std::string shell_quote(const std::string& word);

}  // namespace pathwhy
