// What a Docker engine does, by its version as the running daemon's /version reports it
// (DOCKER.md): how it picks subnets and what it flushes from conntrack. Explanations quote these
// so that nothing true of one version only is printed about another; an unknown version gets
// the facts of every version, each with the versions it holds for.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace pathwhy {

struct DockerVersion {
    int major = 0;
    int minor = 0;
    int patch = 0;  // 0 when the text has none

    // "20.10.24", "20.10.24+dfsg1", "29.5.0-rc.1"; nullopt for "" and anything else.
    static std::optional<DockerVersion> parse(const std::string& text);
    auto operator<=>(const DockerVersion&) const = default;
};

inline constexpr DockerVersion kFlushesUdpByHostPort{23, 0};
inline constexpr DockerVersion kFlushesUdpByContainerPort{29, 5};  // moby#53384
inline constexpr DockerVersion kAllocatesLowestFreeSubnet{27, 0};
inline constexpr DockerVersion kAvoidsOnlyLinkRoutes{20, 10, 15};  // DOCKER.md: and 23.0

enum class SubnetOrder {
    unknown,          // the version is not known
    rotating_cursor,  // 20.10-26.x: the first free subnet after the previous pick, wrapping round
    lowest_free,      // 27.0+: the lowest free subnet, every time
};

SubnetOrder docker_subnet_order(const std::string& server_version);

// Whether the engine, when a container publishing HOST_PORT/udp (to CONTAINER_PORT) starts or
// stops, deletes the UDP conntrack entries of that host port — so that an entry made while no
// DNAT rule existed cannot outlive the redeploy. nullopt when the version is unknown.
std::optional<bool> docker_flushes_udp_host_port(const std::string& server_version,
                                                 std::uint16_t host_port,
                                                 std::uint16_t container_port);

// Whether the engine, picking a subnet, avoids only the main table's link-scope routes (20.10.15+)
// rather than every main-table route with a destination (up to 20.10.14); nullopt: unknown.
std::optional<bool> docker_avoids_only_link_routes(const std::string& server_version);

// "Docker 26.1.5+dfsg1", or "Docker" when the version is unknown.
std::string docker_engine_name(const std::string& server_version);

}  // namespace pathwhy
