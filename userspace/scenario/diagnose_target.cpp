#include "scenario/diagnose_target.h"

namespace pathwhy::scenario {

std::vector<std::string> DiagnoseTarget::args() const {
    return {destination, "--netns",       netns,      "--docker-host",
            docker_host, "--daemon-json", daemon_json};
}

DiagnoseTarget diagnose_target(const lab::Lab& lab, std::string destination) {
    return {std::move(destination), lab.host().name(), lab.docker_host(),
            lab.dockerd().dir() + "/daemon.json"};
}

}  // namespace pathwhy::scenario
