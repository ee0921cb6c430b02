// One entry of Docker's event stream (GET /events) as pathwhy keeps it: what happened to which
// network or container, and — for networks — the network as it was, because Docker's network
// events carry only its name and type, and after `destroy` the network can no longer be inspected.
// Filled by docker/ (event_stream), stored by record/, read by the incident report.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "model/docker_state.h"

namespace pathwhy {

struct DockerEvent {
    std::int64_t time_unix_ns = 0;  // timeNano as Docker gives it
    std::string type;               // "network", "container"
    std::string action;             // "create", "destroy", "connect", "disconnect", "start", "die" ...
    std::string actor_id;           // network or container id
    std::map<std::string, std::string> attributes;  // Actor.Attributes: name, container, labels ...
    // For network events: the network as inspected at create (or as last known, for destroy);
    // nullopt when it could not be inspected.
    std::optional<DockerNetwork> network;

    std::string actor_name() const;  // attributes["name"], or the short id
};

}  // namespace pathwhy
