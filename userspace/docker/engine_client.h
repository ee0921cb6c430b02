// The Engine API calls pathwhy makes, in the order Docker expects: /version unversioned, then every
// call under a /v1.xx prefix the server accepts. HTTP error statuses and answers of the wrong shape
// become DockerErrors that name the endpoint and the call.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "docker/api_version.h"
#include "docker/http_client.h"
#include "model/docker_state.h"

namespace pathwhy {

class EngineClient {
  public:
    // Connects and negotiates the API version; throws DockerError when that fails.
    explicit EngineClient(const EngineEndpoint& endpoint, HttpLimits limits = {});

    const EngineVersion& server() const { return server_; }
    ApiVersion api_version() const { return api_; }

    // Every network; bridge networks with their active endpoints.
    std::vector<DockerNetwork> networks();
    // Every container, stopped ones too.
    std::vector<DockerContainer> containers();
    // One container by name or id, with its process id (to enter its network namespace);
    // nullopt when Docker has no such container.
    std::optional<DockerContainer> inspect_container(const std::string& name_or_id);
    // One network with its active endpoints; nullopt when there is no such network (any more).
    std::optional<DockerNetwork> network(const std::string& id);

  private:
    // Bridge networks replaced by their inspected form, several requests at once; a network
    // removed since it was listed is dropped.
    std::vector<DockerNetwork> with_endpoints(std::vector<DockerNetwork> listed);
    // The body of a 2xx answer; nullopt for a 404 when `missing_ok`; else a DockerError.
    std::optional<std::string> accept(const std::string& path, HttpResponse response,
                                      bool missing_ok = false) const;
    std::string get(const std::string& path);
    std::string versioned(const std::string& path, ApiVersion version) const;

    HttpClient http_;
    EngineVersion server_;
    ApiVersion api_;
};

}  // namespace pathwhy
