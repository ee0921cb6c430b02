// What the Docker engine says about its networks and containers, and how its address pools are
// configured. Filled by docker/ from the Engine API and daemon.json; read by the explainer.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/ipv4.h"

namespace pathwhy {

inline constexpr const char* kComposeProjectLabel = "com.docker.compose.project";
inline constexpr const char* kComposeNetworkLabel = "com.docker.compose.network";
inline constexpr const char* kComposeServiceLabel = "com.docker.compose.service";
inline constexpr const char* kBridgeNameOption = "com.docker.network.bridge.name";

struct DockerEndpoint {
    std::string container_id;
    std::string container_name;
    std::optional<Ipv4Cidr> ipv4;  // "172.31.0.2/16" as the API gives it
};

struct IpamConfig {
    std::optional<Ipv4Cidr> subnet;  // IPv4 only; IPv6 entries are skipped by the reader
    std::optional<Ipv4Address> gateway;
    std::optional<Ipv4Cidr> ip_range;
};

struct DockerNetwork {
    std::string id;  // full 64-hex id
    std::string name;
    std::string driver;
    std::string scope;
    std::string created;                       // RFC 3339 as the API gives it
    std::optional<std::int64_t> created_unix;  // parsed, seconds since the epoch
    bool internal = false;
    std::map<std::string, std::string> options;
    std::map<std::string, std::string> labels;
    std::vector<IpamConfig> ipam;
    std::vector<DockerEndpoint> endpoints;  // active endpoints, from network inspect

    // The Linux bridge Docker made for it: the bridge-name option, else "br-" + 12 hex of the id.
    std::string bridge_name() const;
    std::string compose_project() const;  // empty when not made by compose
    std::string short_id() const { return id.substr(0, 12); }
};

struct DockerContainerNetwork {
    std::string network_name;
    std::string network_id;
    std::optional<Ipv4Address> ipv4;
    int ipv4_prefix_length = 0;  // IPPrefixLen; 0 while the container is not connected
};

// One published port (`-p [IP:]HOST:CONTAINER/PROTO`): Docker DNATs HOST on this host's
// addresses (or on host_ip only) to CONTAINER on the container's address.
struct PublishedPort {
    Ipv4Address host_ip;  // 0.0.0.0: every address of the host
    std::uint16_t host_port = 0;
    std::uint16_t container_port = 0;
    std::uint8_t protocol = 0;  // IPPROTO_TCP / IPPROTO_UDP
};

struct DockerContainer {
    std::string id;
    std::string name;   // without the leading "/"
    std::string state;  // "running", "exited", "created", ...
    std::map<std::string, std::string> labels;
    std::vector<DockerContainerNetwork> networks;
    std::vector<PublishedPort> ports;  // IPv4 bindings only; empty while not running
    int pid = 0;  // State.Pid, from inspecting the container only; 0 when not running

    std::string compose_project() const;
};

struct AddressPool {
    Ipv4Cidr base;
    int size = 0;
};

// /etc/docker/daemon.json, as far as it shapes subnet allocation.
// Where Docker is found when nothing says otherwise (the docker CLI's defaults too).
inline constexpr const char* kDefaultDockerHost = "unix:///var/run/docker.sock";
inline constexpr const char* kDefaultDaemonJson = "/etc/docker/daemon.json";

struct DaemonConfig {
    std::string path;
    bool present = false;  // false: file absent, Docker uses its built-in pools
    std::string error;     // unreadable or not JSON; empty when fine
    std::optional<Ipv4Cidr> bip;
    std::vector<AddressPool> default_address_pools;  // empty: the built-in list
    // "userland-proxy": where a packet to a published port goes when it skips Docker's DNAT
    // (docker-proxy, or with false a socket dockerd holds only to reserve the port). Default on.
    bool userland_proxy = true;
    bool userland_proxy_set = false;  // the file has the key (else userland_proxy is the default)
};

// dockerd's relay for one published port, running while the userland proxy is on:
// `docker-proxy -proto udp -host-ip 0.0.0.0 -host-port 8888 -container-ip ... -container-port ...`.
struct DockerProxyProcess {
    int pid = 0;
    std::uint8_t protocol = 0;  // IPPROTO_TCP / IPPROTO_UDP
    std::uint16_t host_port = 0;
};

// What the processes of the diagnosed network namespace show of the daemon that runs there —
// its own command line and its docker-proxy relays — which beats daemon.json: dockerd may run
// with flags, or read another --config-file, and its processes are what is running.
struct RunningDaemon {
    int dockerd_pid = 0;  // 0: no dockerd (or no single one) found in the namespace
    std::vector<std::string> command_line;
    std::optional<bool> userland_proxy_flag;      // --userland-proxy[=BOOL]; nullopt: not given
    std::string config_file;                      // --config-file; "" when not given
    std::optional<Ipv4Cidr> bip_flag;             // --bip
    std::vector<AddressPool> address_pool_flags;  // --default-address-pool base=...,size=...
    std::vector<DockerProxyProcess> proxies;      // its children; valid only when dockerd_pid != 0
};

enum class DockerStatus {
    absent,       // no socket at the default place: Docker is not installed or not running
    unreachable,  // socket given but cannot be connected to
    error,        // connected, but the answer was an error, garbage or late
    ok,
};

struct DockerState {
    DockerStatus status = DockerStatus::absent;
    std::string endpoint;        // "unix:///var/run/docker.sock"
    std::string error;           // one line, for humans
    std::string server_version;  // "20.10.24"
    std::string api_version;     // the version we spoke, "1.41"
    std::vector<DockerNetwork> networks;
    std::vector<DockerContainer> containers;
    DaemonConfig daemon_config;
    RunningDaemon running;  // from /proc; empty in recordings and where /proc is not readable

    const DockerNetwork* network_by_bridge(const std::string& bridge) const;
};

std::string docker_status_name(DockerStatus status);

}  // namespace pathwhy
