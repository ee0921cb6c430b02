#include "model/docker_state.h"

namespace pathwhy {

namespace {
std::string label_or_empty(const std::map<std::string, std::string>& labels, const char* key) {
    auto it = labels.find(key);
    return it == labels.end() ? std::string{} : it->second;
}
}  // namespace

std::string DockerNetwork::bridge_name() const {
    auto it = options.find(kBridgeNameOption);
    if (it != options.end() && !it->second.empty()) return it->second;
    return "br-" + id.substr(0, 12);
}

std::string DockerNetwork::compose_project() const {
    return label_or_empty(labels, kComposeProjectLabel);
}

std::string DockerContainer::compose_project() const {
    return label_or_empty(labels, kComposeProjectLabel);
}

const DockerNetwork* DockerState::network_by_bridge(const std::string& bridge) const {
    for (const auto& network : networks)
        if (network.driver == "bridge" && network.bridge_name() == bridge) return &network;
    return nullptr;
}

std::string docker_status_name(DockerStatus status) {
    switch (status) {
        case DockerStatus::absent: return "absent";
        case DockerStatus::unreachable: return "unreachable";
        case DockerStatus::error: return "error";
        case DockerStatus::ok: return "ok";
    }
    return "error";
}

}  // namespace pathwhy
