// What each Docker version flushes from conntrack when a container's published ports are set up
// or torn down (DOCKER.md, "Stale conntrack after a redeploy"), so that a stale-conntrack finding
// can say why Docker's own clean-up missed the entries, and whether an upgrade would help.
//   <= 22.x    entries whose reply source is the container's IP; nothing by port
//   23.0-29.4  also UDP entries whose original destination port is the host port
//   >= 29.5    the port filter uses the container port: misses when host port != container port
//              (moby#53384, open)
#pragma once

#include <optional>
#include <string>

#include "explain/docker_engine_facts.h"
#include "explain/port_refs.h"

namespace pathwhy {

// One evidence line: what the engine (server_version, "" when unknown) flushes, and how these
// entries got past it.
std::string docker_flush_evidence(const std::string& server_version, const ConntrackRef& stale);

// A prevent line when another Docker version would flush these entries itself; nullopt when
// this one already flushes what Docker can.
std::optional<std::string> docker_flush_advice(const std::string& server_version,
                                               const ConntrackRef& stale);

}  // namespace pathwhy
