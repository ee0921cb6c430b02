#include "explain/docker_settings.h"

#include <fmt/format.h>

#include <algorithm>

#include "model/ip_protocol.h"

namespace pathwhy {
namespace {

const DockerProxyProcess* proxy_for(const RunningDaemon& running, std::optional<HostPort> port) {
    for (const DockerProxyProcess& proxy : running.proxies)
        if (!port || (proxy.host_port == port->port && proxy.protocol == port->protocol))
            return &proxy;
    return nullptr;
}

// With the proxy on, dockerd starts a docker-proxy for every port a running container publishes.
bool publishes_ports(const DockerState& docker) {
    return std::any_of(docker.containers.begin(), docker.containers.end(),
                       [](const auto& c) { return c.state == "running" && !c.ports.empty(); });
}

std::string flag_as_given(const RunningDaemon& running) {
    for (const std::string& arg : running.command_line)
        if (arg.starts_with("--userland-proxy") && !arg.starts_with("--userland-proxy-"))
            return arg;
    return fmt::format("--userland-proxy={}", *running.userland_proxy_flag);
}

}  // namespace

AddressPoolsFact docker_address_pools(const DockerState& docker) {
    const RunningDaemon& running = docker.running;
    if (running.dockerd_pid && !running.address_pool_flags.empty())
        return {running.address_pool_flags,
                fmt::format("dockerd's command line (pid {})", running.dockerd_pid), true};
    const DaemonConfig& config = docker.daemon_config;
    return {config.default_address_pools, config.path.empty() ? kDefaultDaemonJson : config.path,
            false};
}

std::optional<Ipv4Cidr> docker_bip(const DockerState& docker) {
    if (docker.running.dockerd_pid && docker.running.bip_flag) return docker.running.bip_flag;
    return docker.daemon_config.bip;
}

UserlandProxyFact userland_proxy_fact(const DockerState& docker, std::optional<HostPort> port) {
    const RunningDaemon& running = docker.running;
    const DaemonConfig& config = docker.daemon_config;
    const bool seen = running.dockerd_pid != 0;
    if (seen) {
        const DockerProxyProcess* proxy = proxy_for(running, port);
        if (!proxy) proxy = proxy_for(running, std::nullopt);  // it runs for another port
        if (proxy)
            return {true, fmt::format("docker-proxy (pid {}) holds {}/{}", proxy->pid,
                                      proxy->host_port, ip_protocol_name(proxy->protocol))};
        if (running.userland_proxy_flag)
            return {*running.userland_proxy_flag,
                    fmt::format("dockerd (pid {}) runs with {}", running.dockerd_pid,
                                flag_as_given(running))};
    }
    // A recording keeps only the value: false can only have come from the file.
    const bool file_sets_it = config.userland_proxy_set || !config.userland_proxy;
    const std::string file_basis =
        fmt::format("\"userland-proxy\": {} in {}", config.userland_proxy, config.path);
    // No relay for any published port: off, whatever a file says — but the file that says so
    // too is what a reader would change.
    if (seen && publishes_ports(docker)) {
        if (file_sets_it && !config.userland_proxy) return {false, file_basis};
        return {false, fmt::format("no docker-proxy runs under dockerd (pid {}) for the ports its "
                                   "containers publish",
                                   running.dockerd_pid)};
    }
    if (file_sets_it) return {config.userland_proxy, file_basis};
    if (seen)
        return {true, fmt::format("Docker's default: neither dockerd's command line nor {} sets it",
                                  config.path.empty() ? kDefaultDaemonJson : config.path)};
    return {true, fmt::format("Docker's default, as {} does not set it",
                              config.path.empty() ? kDefaultDaemonJson : config.path)};
}

}  // namespace pathwhy
