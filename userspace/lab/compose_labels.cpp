// Compose label sets; the label keys the explainer reads come from model/docker_state.h.
#include "lab/compose_labels.h"

#include "model/docker_state.h"

namespace pathwhy::lab {
namespace {

constexpr const char* kVersionLabel = "com.docker.compose.version";
constexpr const char* kContainerNumberLabel = "com.docker.compose.container-number";
constexpr const char* kOneoffLabel = "com.docker.compose.oneoff";

}  // namespace

Labels compose_network_labels(const std::string& project) {
    return {{kComposeProjectLabel, project},
            {kComposeNetworkLabel, "default"},
            {kVersionLabel, kComposeVersion}};
}

Labels compose_container_labels(const std::string& project, const std::string& service,
                                int number) {
    return {{kComposeProjectLabel, project},
            {kComposeServiceLabel, service},
            {kContainerNumberLabel, std::to_string(number)},
            {kOneoffLabel, "False"},
            {kVersionLabel, kComposeVersion}};
}

}  // namespace pathwhy::lab
