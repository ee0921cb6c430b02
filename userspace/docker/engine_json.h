// The Engine API's JSON answers turned into model types. Pure: text in, values out, so unit tests
// feed it recorded answers. Tolerant inside an answer (a field missing or of the wrong type is
// left empty, an IPv6 IPAM entry is skipped) but strict about the top level: an answer that is not
// the JSON value the call returns throws EngineJsonError.
#pragma once

#include <stdexcept>
#include <string_view>
#include <vector>

#include "docker/api_version.h"
#include "model/docker_event.h"
#include "model/docker_state.h"

namespace pathwhy {

// what(): "invalid JSON" or "unexpected JSON: expected an object, got an array".
class EngineJsonError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

EngineVersion parse_version_json(std::string_view body);                    // GET /version
std::vector<DockerNetwork> parse_network_list_json(std::string_view body);  // GET /networks
DockerNetwork parse_network_json(std::string_view body);                    // GET /networks/{id}
std::vector<DockerContainer> parse_container_list_json(std::string_view body);  // /containers/json
// GET /containers/{id}/json: the list's fields and State.Pid (published ports are not read).
DockerContainer parse_container_inspect_json(std::string_view body);
DockerEvent parse_event_json(std::string_view line);  // one line of GET /events

}  // namespace pathwhy
