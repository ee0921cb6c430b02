// The daemon settings explanations quote, as the running daemon has them, with the reason pathwhy
// knows: what its processes show first (a docker-proxy holding the port, dockerd's own flags),
// then daemon.json, then Docker's default — so that a daemon started with --userland-proxy=false
// and no daemon.json is never described by the absent file's default. Pure: the facts are the
// snapshot's (DockerState::running, DockerState::daemon_config).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "explain/published_ports.h"
#include "model/docker_state.h"

namespace pathwhy {

struct UserlandProxyFact {
    bool on = true;
    // Why pathwhy says so, for the reader: "dockerd (pid 812) runs with --userland-proxy=false".
    std::string basis;
};

// Docker's address pools and docker0's address as the daemon runs with them: dockerd's
// --default-address-pool / --bip flags, else daemon.json's keys (dockerd refuses a setting given
// both ways). `where` names it for the reader: "dockerd's command line (pid 812)" or the file.
struct AddressPoolsFact {
    std::vector<AddressPool> pools;  // empty: Docker's built-in pools
    std::string where;
    bool from_command_line = false;
};
AddressPoolsFact docker_address_pools(const DockerState& docker);
std::optional<Ipv4Cidr> docker_bip(const DockerState& docker);

// PORT: the published port a finding is about, whose docker-proxy is the surest sign; nullopt
// looks for any.
UserlandProxyFact userland_proxy_fact(const DockerState& docker,
                                      std::optional<HostPort> port = std::nullopt);

}  // namespace pathwhy
