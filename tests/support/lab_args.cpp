#include "support/lab_args.h"

namespace pathwhy::test {

std::vector<std::string> lab_place_args(const lab::Lab& lab) {
    return {"--netns",      lab.host().name(), "--docker-host", lab.docker_host(),
            "--daemon-json", lab.dockerd().dir() + "/daemon.json"};
}

std::vector<std::string> lab_command(std::vector<std::string> leading, const lab::Lab& lab,
                                     const std::vector<std::string>& trailing) {
    for (auto& arg : lab_place_args(lab)) leading.push_back(std::move(arg));
    leading.insert(leading.end(), trailing.begin(), trailing.end());
    return leading;
}

}  // namespace pathwhy::test
