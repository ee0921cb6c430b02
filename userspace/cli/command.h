// A subcommand: CLI11 definitions and what to run when it was chosen. Each command lives in its
// own file and registers itself in main.cpp, so adding one touches one line there.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace pathwhy {

struct Command {
    CLI::App* app = nullptr;
    std::function<int()> run;  // returns the exit code
};

}  // namespace pathwhy
