// Parsing of Docker endpoint URLs. The error messages name the scheme the user wrote and what to
// do instead, because DOCKER_HOST often comes from a shell profile the user has forgotten about.
#include "docker/docker_endpoint.h"

#include <sys/un.h>

#include <charconv>

#include "common/error.h"

namespace pathwhy {

namespace {

constexpr int kDefaultTcpPort = 2375;  // the docker CLI's default for plain tcp://
constexpr std::size_t kMaxSocketPath = sizeof(sockaddr_un::sun_path) - 1;

struct Unsupported {
    std::string_view scheme;
    const char* reason;
    const char* hint;
};

// Schemes that DOCKER_HOST may legitimately hold elsewhere, each with its own way out.
constexpr Unsupported kUnsupported[] = {
    {"ssh://", "ssh:// endpoints are not supported",
     "forward the socket with `ssh -nNL /tmp/docker.sock:/var/run/docker.sock HOST` and use "
     "unix:///tmp/docker.sock"},
    {"npipe://", "Windows named pipes are not supported", "pathwhy runs on the Linux host"},
    {"fd://", "fd:// is a dockerd listen address, not one a client can connect to",
     "use unix:///var/run/docker.sock"},
    {"https://", "TLS endpoints are not supported", "run pathwhy on the Docker host itself"},
};

[[noreturn]] void reject(std::string_view text, const std::string& reason,
                         std::string hint =
                             "use unix:///path/to/docker.sock, /path/to/docker.sock "
                             "or tcp://host:port") {
    throw Error("use Docker endpoint \"" + std::string(text) + "\"", reason, std::move(hint));
}

EngineEndpoint unix_endpoint(std::string_view text, std::string_view path, EndpointSource source) {
    if (path.empty()) reject(text, "no socket path after unix://");
    if (path.front() != '/') reject(text, "the socket path must be absolute");
    if (path.size() > kMaxSocketPath)
        reject(text, "socket paths are limited to " + std::to_string(kMaxSocketPath) + " bytes",
               "use a shorter path or a symlink to the socket");
    EngineEndpoint endpoint;
    endpoint.transport = EngineEndpoint::Transport::unix_socket;
    endpoint.socket_path = std::string(path);
    endpoint.source = source;
    return endpoint;
}

EngineEndpoint tcp_endpoint(std::string_view text, std::string_view rest, EndpointSource source) {
    // A trailing "/" is harmless; a base path (which dockerd behind a proxy may need) is not
    // supported, and saying so beats silently dropping it.
    std::string_view authority = rest.substr(0, rest.find('/'));
    std::string_view path = rest.substr(authority.size());
    if (!path.empty() && path != "/") reject(text, "a path after host:port is not supported");

    std::string_view host = authority;
    std::string_view port_text;
    if (authority.starts_with('[')) {  // [v6]:port
        auto close = authority.find(']');
        if (close == std::string_view::npos) reject(text, "missing ']' after the IPv6 address");
        host = authority.substr(1, close - 1);
        std::string_view after = authority.substr(close + 1);
        if (!after.empty() && !after.starts_with(':')) reject(text, "junk after ']'");
        if (!after.empty()) port_text = after.substr(1);
    } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port_text = authority.substr(colon + 1);
        if (host.find(':') != std::string_view::npos)
            reject(text, "an IPv6 address must be written in brackets", "e.g. tcp://[::1]:2375");
    }
    if (host.empty()) reject(text, "no host after tcp://");

    int port = kDefaultTcpPort;
    if (authority.ends_with(':') && port_text.empty()) reject(text, "no port after ':'");
    if (!port_text.empty()) {
        auto [end, ec] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (ec != std::errc{} || end != port_text.data() + port_text.size() || port < 1 ||
            port > 65535)
            reject(text, "\"" + std::string(port_text) + "\" is not a port number");
    }

    EngineEndpoint endpoint;
    endpoint.transport = EngineEndpoint::Transport::tcp;
    endpoint.host = std::string(host);
    endpoint.port = port;
    endpoint.source = source;
    return endpoint;
}

}  // namespace

std::string EngineEndpoint::url() const {
    if (transport == Transport::unix_socket) return "unix://" + socket_path;
    bool v6 = host.find(':') != std::string::npos;
    return "tcp://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

EngineEndpoint parse_engine_endpoint(std::string_view text, EndpointSource source) {
    if (text.empty()) reject(text, "it is empty");
    if (text.starts_with("unix://")) return unix_endpoint(text, text.substr(7), source);
    if (text.starts_with('/')) return unix_endpoint(text, text, source);
    if (text.starts_with("tcp://")) return tcp_endpoint(text, text.substr(6), source);
    for (const auto& u : kUnsupported)
        if (text.starts_with(u.scheme)) reject(text, u.reason, u.hint);
    reject(text, "not a Docker endpoint");
}

EngineEndpoint resolve_engine_endpoint(const std::optional<std::string>& flag,
                                       const char* docker_host_env) {
    if (flag) return parse_engine_endpoint(*flag, EndpointSource::flag);
    if (docker_host_env && *docker_host_env)
        return parse_engine_endpoint(docker_host_env, EndpointSource::environment);
    return parse_engine_endpoint(kDefaultDockerHost, EndpointSource::built_in_default);
}

}  // namespace pathwhy
