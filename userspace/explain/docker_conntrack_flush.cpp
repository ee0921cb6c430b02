#include "explain/docker_conntrack_flush.h"

#include <fmt/format.h>
#include <netinet/in.h>

namespace pathwhy {

namespace {

bool udp(const ConntrackRef& stale) { return stale.port.protocol == IPPROTO_UDP; }

bool ports_differ(const ConntrackRef& stale) {
    return !stale.port.container.empty() && stale.port.container_port != stale.port.port;
}

}  // namespace

std::string docker_flush_evidence(const std::string& server_version, const ConntrackRef& stale) {
    const auto version = DockerVersion::parse(server_version);
    const std::string who = docker_engine_name(server_version);
    const std::uint16_t host_port = stale.port.port;
    if (!version)
        return fmt::format(
            "{} flushes conntrack entries when a container's published ports are set up or torn "
            "down: up to 22.x only those whose reply source is the container's IP; 23.0-29.4 also "
            "UDP entries for the host port; 29.5 for the container port instead, missing them "
            "when the two differ (moby#53384)",
            who);
    if (*version < kFlushesUdpByHostPort) {
        if (stale.nat == StaleNat::none)
            return fmt::format(
                "{} flushes, when a container's published ports are set up or torn down, only the "
                "entries whose reply source is that container's IP — nothing by port; an entry "
                "without NAT names no container IP, so no flush ever touches it",
                who);
        return fmt::format(
            "{} flushes only the entries whose reply source is a container's IP, when that "
            "container's published ports are set up or torn down — nothing by port; an entry for "
            "{} made or refreshed after that flush (a stream still arriving while the old "
            "container went) is never flushed again",
            who, stale.stale_address.str());
    }
    if (!udp(stale))
        return fmt::format(
            "{} flushes by port only UDP entries; TCP entries go only with the "
            "container IP they name",
            who);
    if (*version >= kFlushesUdpByContainerPort && ports_differ(stale))
        return fmt::format(
            "{} flushes UDP entries by the container port ({}) instead of the host port ({}) when "
            "a container's ports are set up (moby#53384): entries for host port {} survive a "
            "redeploy",
            who, stale.port.container_port, host_port, host_port);
    return fmt::format(
        "{} flushes UDP entries for host port {} whenever a container publishing it starts or "
        "stops: these were made or refreshed after the last such flush (packets arriving while no "
        "DNAT rule was in place), and nothing has flushed them since",
        who, host_port);
}

std::optional<std::string> docker_flush_advice(const std::string& server_version,
                                               const ConntrackRef& stale) {
    const auto version = DockerVersion::parse(server_version);
    if (!version || !udp(stale)) return std::nullopt;
    if (*version < kFlushesUdpByHostPort)
        return fmt::format(
            "# upgrade Docker to 23.0 or later: it flushes UDP entries for a host "
            "port whenever a container publishing it starts or stops ({} flushes "
            "by container IP only)",
            server_version);
    if (*version >= kFlushesUdpByContainerPort && ports_differ(stale))
        return fmt::format(
            "# until moby#53384 is fixed, publish UDP with equal host and container "
            "ports (-p {0}:{0}/udp): Docker {1} flushes by the container port",
            stale.port.port, server_version);
    return std::nullopt;
}

}  // namespace pathwhy
