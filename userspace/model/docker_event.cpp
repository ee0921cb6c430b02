#include "model/docker_event.h"

namespace pathwhy {

std::string DockerEvent::actor_name() const {
    auto it = attributes.find("name");
    if (it != attributes.end() && !it->second.empty()) return it->second;
    return actor_id.substr(0, 12);
}

}  // namespace pathwhy
