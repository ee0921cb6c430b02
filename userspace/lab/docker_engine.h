// The Docker engines a lab can run, by name: "20.10", Debian 12's docker.io installed on this
// machine (dockerd and containerd on PATH), and "26.1", Debian 13's docker.io and containerd
// unpacked by scripts/fetch-docker-engine.sh outside the checkout. The unpacked engine's
// directories go first on its dockerd's PATH, so that it starts its own containerd, shim and
// docker-proxy; runc stays Debian 12's (trixie's needs glibc 2.38). Debian 12's docker client
// talks to both (it negotiates the API version down).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pathwhy::lab {

inline constexpr std::string_view kSystemEngine = "20.10";
inline constexpr std::string_view kUnpackedEngine = "26.1";

struct DockerEngine {
    std::string name;                     // "26.1"
    std::string dockerd;                  // "dockerd" (from PATH) or an absolute path
    std::vector<std::string> path_first;  // put before PATH for dockerd and what it starts
};

// Every engine name a lab accepts, the system's first.
std::vector<std::string> engine_names();

// What PATHWHY_LAB_ENGINE names, else the system's engine: the engine a lab runs when its options
// do not say (so that a whole suite can be run on another engine).
std::string default_engine();

// Where scripts/fetch-docker-engine.sh unpacks NAME: $PATHWHY_ENGINE_CACHE (default
// /var/cache/pathwhy/engines)/docker-NAME.
std::string unpacked_engine_dir(std::string_view name);

// Why NAME cannot run on this machine (one line naming what is missing and how to get it), or
// nullopt when it can.
std::optional<std::string> engine_missing(std::string_view name);

// The engine named; throws Error with engine_missing()'s reason, or for an unknown name.
DockerEngine find_engine(std::string_view name);

}  // namespace pathwhy::lab
