// The daemon as it runs, read from /proc: the dockerd in the diagnosed network namespace that
// serves the endpoint pathwhy asks, its command line (--userland-proxy, --config-file) and its
// docker-proxy children. Never throws: what cannot be read stays empty, and daemon.json and
// Docker's defaults speak instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "docker/docker_endpoint.h"
#include "model/docker_state.h"

namespace pathwhy {

// NETNS_INODE: the diagnosed namespace (/proc/PID/ns/net's inode of its processes).
RunningDaemon read_running_daemon(std::uint64_t netns_inode, const EngineEndpoint& endpoint);

// What dockerd's command line says, for the reader above and its tests.
struct DockerdCommandLine {
    std::optional<bool> userland_proxy;  // --userland-proxy (true), --userland-proxy=BOOL
    std::string config_file;             // --config-file FILE, --config-file=FILE
    std::vector<std::string> hosts;      // -H / --host values, as given
    std::optional<Ipv4Cidr> bip;         // --bip CIDR
    // --default-address-pool base=CIDR,size=N (repeatable; IPv6 bases skipped, as in daemon.json)
    std::vector<AddressPool> address_pools;
};
DockerdCommandLine parse_dockerd_command_line(const std::vector<std::string>& argv);

// Whether a dockerd with HOSTS (its -H values) answers on ENDPOINT: no -H and -H fd:// (systemd's
// socket) serve the default socket.
bool dockerd_serves(const std::vector<std::string>& hosts, const EngineEndpoint& endpoint);

// `docker-proxy -proto udp -host-ip ... -host-port 8888 ...`; nullopt for anything else.
std::optional<DockerProxyProcess> parse_docker_proxy_command_line(
    const std::vector<std::string>& argv);

}  // namespace pathwhy
