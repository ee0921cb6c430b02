// Privileged tests on each Docker engine the labs can run (lab/docker_engine.h). An engine that
// is not unpacked here skips its tests with what is missing; in CI (CI=true), where
// scripts/install-deps.sh has fetched it, that is a failure instead.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lab/docker_engine.h"
#include "support/privileges.h"

namespace pathwhy::test {

// "20.10" -> "docker_20_10": the engine's part of a gtest parameter name.
std::string engine_test_name(const std::string& engine);

// Sentences pathwhy may print only about engines before Docker 23.0 (20.10's conntrack flush:
// by container IP only), each a fragment of explain/'s text; a 26.1 output holding one quotes
// the wrong engine.
const std::vector<std::string>& facts_of_docker_before_23();

// The fragments of facts_of_docker_before_23() that TEXT holds, and "Docker 20.10" if it does.
std::vector<std::string> docker_20_10_facts_in(const std::string& text);

}  // namespace pathwhy::test

#define PATHWHY_REQUIRE_ENGINE(engine)                                                    \
    do {                                                                                  \
        if (auto missing = ::pathwhy::lab::engine_missing(engine)) {                      \
            if (::pathwhy::test::running_in_ci())                                         \
                FAIL() << "CI installs Docker engine " << (engine) << ": " << *missing;   \
            GTEST_SKIP() << "Docker engine " << (engine) << " is not here: " << *missing; \
        }                                                                                 \
    } while (0)
