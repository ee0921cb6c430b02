#include "explain/docker_notes.h"

#include <fmt/format.h>

namespace pathwhy {

std::vector<std::string> docker_notes(const DockerState& docker) {
    std::vector<std::string> notes;
    switch (docker.status) {
        case DockerStatus::ok:
            break;
        case DockerStatus::absent:
            notes.push_back(
                fmt::format("Docker: no daemon at {}; routes diagnosed without "
                            "Docker's metadata",
                            docker.endpoint));
            break;
        case DockerStatus::unreachable:
        case DockerStatus::error:
            notes.push_back("Docker: " + docker.error +
                            "; routes diagnosed without Docker's metadata");
            break;
    }
    if (!docker.daemon_config.error.empty())
        notes.push_back("Docker daemon configuration: " + docker.daemon_config.error);
    return notes;
}

}  // namespace pathwhy
