// The labels docker-compose puts on what it creates, so lab networks and containers look to
// pathwhy exactly like a CI runner's leaked compose projects (seed 000).
#pragma once

#include <map>
#include <string>

namespace pathwhy::lab {

using Labels = std::map<std::string, std::string>;

// Debian's docker-compose, the version seed 000's runner used.
inline constexpr const char* kComposeVersion = "1.29.2";

// Network "<project>_default": project, network key "default", version.
Labels compose_network_labels(const std::string& project);
// Container "<project>-<service>-<number>": project, service, container-number, oneoff, version.
Labels compose_container_labels(const std::string& project, const std::string& service, int number);

}  // namespace pathwhy::lab
