// The options that point pathwhy at a lab instead of the machine: its namespace, its dockerd's
// socket and its daemon.json.
#pragma once

#include <string>
#include <vector>

#include "lab/lab.h"

namespace pathwhy::test {

std::vector<std::string> lab_place_args(const lab::Lab& lab);

// `leading` (a subcommand, a destination), then the lab's place options, then `trailing`.
std::vector<std::string> lab_command(std::vector<std::string> leading, const lab::Lab& lab,
                                     const std::vector<std::string>& trailing = {});

}  // namespace pathwhy::test
