#include "support/docker_engines.h"

#include <algorithm>

namespace pathwhy::test {

std::string engine_test_name(const std::string& engine) {
    std::string name = "docker_" + engine;
    std::replace(name.begin(), name.end(), '.', '_');
    return name;
}

const std::vector<std::string>& facts_of_docker_before_23() {
    static const std::vector<std::string> facts{
        "nothing by port",                      // explain/docker_conntrack_flush.cpp, < 23.0
        "no flush ever touches it",             // the same, for an entry without NAT
        "is never flushed again",               // the same, for an entry with old NAT
        "upgrade Docker to 23.0",               // its advice
        "flushes by container IP only",         // the same advice's reason
        "only the entries whose reply source",  // the < 23.0 flush
    };
    return facts;
}

std::vector<std::string> docker_20_10_facts_in(const std::string& text) {
    std::vector<std::string> found;
    for (const std::string& fact : facts_of_docker_before_23())
        if (text.find(fact) != std::string::npos) found.push_back(fact);
    if (text.find("Docker 20.10") != std::string::npos) found.push_back("Docker 20.10");
    return found;
}

}  // namespace pathwhy::test
