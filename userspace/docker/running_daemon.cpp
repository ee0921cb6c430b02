#include "docker/running_daemon.h"

#include <netinet/in.h>

#include <algorithm>
#include <charconv>
#include <filesystem>

#include "common/processes.h"
#include "docker/ipv4_text.h"

namespace pathwhy {
namespace {

std::string program_name(const std::vector<std::string>& argv) {
    return argv.empty() ? "" : std::filesystem::path(argv[0]).filename().string();
}

// Go's strconv.ParseBool, which dockerd's flag library uses.
std::optional<bool> go_bool(const std::string& text) {
    for (const char* yes : {"1", "t", "T", "true", "TRUE", "True"})
        if (text == yes) return true;
    for (const char* no : {"0", "f", "F", "false", "FALSE", "False"})
        if (text == no) return false;
    return std::nullopt;
}

// The value of `--NAME VALUE` / `--NAME=VALUE` at argv[i] (advancing i past a separate value).
std::optional<std::string> option_value(const std::vector<std::string>& argv, std::size_t& i,
                                        const std::string& name) {
    const std::string& arg = argv[i];
    if (arg == name) {
        if (i + 1 >= argv.size()) return std::nullopt;
        return argv[++i];
    }
    if (arg.starts_with(name + "=")) return arg.substr(name.size() + 1);
    return std::nullopt;
}

// /var/run is /run on every current distribution: the same socket under either name.
std::string canonical_socket(std::string path) {
    if (path.starts_with("/var/run/")) path.erase(0, 4);
    return path;
}

// "base=10.10.0.0/16,size=24" (dockerd's --default-address-pool); nullopt for anything else.
std::optional<AddressPool> address_pool_flag(const std::string& text) {
    std::optional<Ipv4Cidr> base;
    int size = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = std::min(text.find(',', start), text.size());
        const std::string field = text.substr(start, comma - start);
        if (field.starts_with("base=")) base = parse_docker_cidr(field.substr(5));
        if (field.starts_with("size=")) {
            const char* first = field.data() + 5;
            const char* last = field.data() + field.size();
            const auto [end, error] = std::from_chars(first, last, size);
            if (error != std::errc{} || end != last) size = 0;
        }
        start = comma + 1;
    }
    if (!base || size < base->length || size > 32) return std::nullopt;
    return AddressPool{*base, size};
}

}  // namespace

DockerdCommandLine parse_dockerd_command_line(const std::vector<std::string>& argv) {
    DockerdCommandLine line;
    for (std::size_t i = 1; i < argv.size(); ++i) {
        const std::string& arg = argv[i];
        if (arg == "--userland-proxy") {
            line.userland_proxy = true;  // a bare bool flag; its value never follows apart
        } else if (arg.starts_with("--userland-proxy=")) {
            if (auto value = go_bool(arg.substr(17))) line.userland_proxy = value;
        } else if (auto file = option_value(argv, i, "--config-file")) {
            line.config_file = *file;
        } else if (auto bip = option_value(argv, i, "--bip")) {
            line.bip = parse_docker_cidr(*bip);
        } else if (auto pool = option_value(argv, i, "--default-address-pool")) {
            if (auto parsed = address_pool_flag(*pool)) line.address_pools.push_back(*parsed);
        } else if (auto host = option_value(argv, i, "--host")) {
            line.hosts.push_back(*host);
        } else if (auto shorthand = option_value(argv, i, "-H")) {
            line.hosts.push_back(*shorthand);
        }
    }
    return line;
}

bool dockerd_serves(const std::vector<std::string>& hosts, const EngineEndpoint& endpoint) {
    const std::string default_socket = canonical_socket(
        parse_engine_endpoint(kDefaultDockerHost, EndpointSource::built_in_default).socket_path);
    auto same = [&](const EngineEndpoint& served) {
        if (served.transport != endpoint.transport) return false;
        if (served.transport == EngineEndpoint::Transport::tcp)
            return served.host == endpoint.host && served.port == endpoint.port;
        return canonical_socket(served.socket_path) == canonical_socket(endpoint.socket_path);
    };
    const bool asks_default = endpoint.transport == EngineEndpoint::Transport::unix_socket &&
                              canonical_socket(endpoint.socket_path) == default_socket;
    if (hosts.empty()) return asks_default;
    for (const std::string& host : hosts) {
        if (host.starts_with("fd://")) {
            if (asks_default) return true;
            continue;
        }
        try {
            if (same(parse_engine_endpoint(host, EndpointSource::flag))) return true;
        } catch (const std::exception&) {  // a form pathwhy cannot reach (ssh://, npipe://)
        }
    }
    return false;
}

std::optional<DockerProxyProcess> parse_docker_proxy_command_line(
    const std::vector<std::string>& argv) {
    if (program_name(argv) != "docker-proxy") return std::nullopt;
    DockerProxyProcess proxy;
    for (std::size_t i = 1; i + 1 < argv.size(); ++i) {
        if (argv[i] == "-proto") {
            const std::string& proto = argv[i + 1];
            proxy.protocol = proto == "tcp" ? IPPROTO_TCP : proto == "udp" ? IPPROTO_UDP : 0;
        } else if (argv[i] == "-host-port") {
            const std::string& text = argv[i + 1];
            std::uint16_t port = 0;
            const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
            if (error == std::errc{} && end == text.data() + text.size()) proxy.host_port = port;
        }
    }
    if (!proxy.protocol || !proxy.host_port) return std::nullopt;
    return proxy;
}

RunningDaemon read_running_daemon(std::uint64_t netns_inode, const EngineEndpoint& endpoint) {
    RunningDaemon daemon;
    const auto processes = list_processes();
    std::vector<pid_t> serving;
    for (const ProcessEntry& process : processes) {
        const auto argv = process_cmdline(process.pid);
        if (program_name(argv) != "dockerd" || process_netns_inode(process.pid) != netns_inode)
            continue;
        if (dockerd_serves(parse_dockerd_command_line(argv).hosts, endpoint))
            serving.push_back(process.pid);
    }
    if (serving.size() != 1) return daemon;  // none, or more than one to choose from
    daemon.dockerd_pid = serving.front();
    daemon.command_line = process_cmdline(daemon.dockerd_pid);
    const DockerdCommandLine line = parse_dockerd_command_line(daemon.command_line);
    daemon.userland_proxy_flag = line.userland_proxy;
    daemon.config_file = line.config_file;
    daemon.bip_flag = line.bip;
    daemon.address_pool_flags = line.address_pools;
    for (const ProcessEntry& process : processes) {
        if (process.parent != daemon.dockerd_pid) continue;
        if (auto proxy = parse_docker_proxy_command_line(process_cmdline(process.pid))) {
            proxy->pid = process.pid;
            daemon.proxies.push_back(*proxy);
        }
    }
    return daemon;
}

}  // namespace pathwhy
