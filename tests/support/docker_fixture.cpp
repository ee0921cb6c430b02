#include "support/docker_fixture.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace pathwhy::test {

std::string docker_fixture(const std::string& relative) {
    std::string path = std::string(PATHWHY_FIXTURES_DIR) + "/docker/" + relative;
    std::ifstream in(path);
    if (!in) ADD_FAILURE() << "missing fixture " << path;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace pathwhy::test
