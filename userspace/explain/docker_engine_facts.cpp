#include "explain/docker_engine_facts.h"

#include <charconv>

namespace pathwhy {

std::optional<DockerVersion> DockerVersion::parse(const std::string& text) {
    DockerVersion version;
    const char* end = text.data() + text.size();
    auto [dot, e1] = std::from_chars(text.data(), end, version.major);
    if (e1 != std::errc{} || dot == end || *dot != '.') return std::nullopt;
    auto [rest, e2] = std::from_chars(dot + 1, end, version.minor);
    if (e2 != std::errc{}) return std::nullopt;
    if (rest != end && *rest == '.') std::from_chars(rest + 1, end, version.patch);
    return version;
}

SubnetOrder docker_subnet_order(const std::string& server_version) {
    const auto version = DockerVersion::parse(server_version);
    if (!version) return SubnetOrder::unknown;
    return *version < kAllocatesLowestFreeSubnet ? SubnetOrder::rotating_cursor
                                                 : SubnetOrder::lowest_free;
}

std::optional<bool> docker_flushes_udp_host_port(const std::string& server_version,
                                                 std::uint16_t host_port,
                                                 std::uint16_t container_port) {
    const auto version = DockerVersion::parse(server_version);
    if (!version) return std::nullopt;
    if (*version < kFlushesUdpByHostPort) return false;
    if (*version >= kFlushesUdpByContainerPort) return host_port == container_port;
    return true;
}

std::optional<bool> docker_avoids_only_link_routes(const std::string& server_version) {
    const auto version = DockerVersion::parse(server_version);
    if (!version) return std::nullopt;
    return *version >= kAvoidsOnlyLinkRoutes;
}

std::string docker_engine_name(const std::string& server_version) {
    return server_version.empty() ? "Docker" : "Docker " + server_version;
}

}  // namespace pathwhy
