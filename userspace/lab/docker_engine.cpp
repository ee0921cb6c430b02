#include "lab/docker_engine.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "common/error.h"

namespace pathwhy::lab {
namespace {

bool executable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

bool on_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');)
        if (!dir.empty() && executable(dir + "/" + program)) return true;
    return false;
}

bool known(std::string_view name) { return name == kSystemEngine || name == kUnpackedEngine; }

}  // namespace

std::vector<std::string> engine_names() {
    return {std::string(kSystemEngine), std::string(kUnpackedEngine)};
}

std::string default_engine() {
    const char* named = std::getenv("PATHWHY_LAB_ENGINE");
    return named && *named ? named : std::string(kSystemEngine);
}

std::string unpacked_engine_dir(std::string_view name) {
    const char* cache = std::getenv("PATHWHY_ENGINE_CACHE");
    return fmt::format("{}/docker-{}", cache && *cache ? cache : "/var/cache/pathwhy/engines",
                       name);
}

std::optional<std::string> engine_missing(std::string_view name) {
    if (!known(name))
        return fmt::format("unknown Docker engine '{}' (known: {})", name,
                           fmt::join(engine_names(), ", "));
    if (name == kSystemEngine) {
        for (const char* program : {"dockerd", "containerd", "runc"})
            if (!on_path(program))
                return fmt::format("no {} on PATH (scripts/install-deps.sh installs docker.io)",
                                   program);
        return std::nullopt;
    }
    const std::string root = unpacked_engine_dir(name) + "/root";
    for (const char* program :
         {"/usr/sbin/dockerd", "/usr/bin/containerd", "/usr/bin/containerd-shim-runc-v2"})
        if (!executable(root + program))
            return fmt::format("no {}{} (scripts/fetch-docker-engine.sh unpacks it)", root,
                               program);
    if (!on_path("runc")) return "no runc on PATH (Debian 12's runc package provides it)";
    return std::nullopt;
}

DockerEngine find_engine(std::string_view name) {
    if (auto missing = engine_missing(name))
        throw Error(fmt::format("run Docker engine {}", name), *missing);
    if (name == kSystemEngine) return {std::string(name), "dockerd", {}};
    const std::string root = unpacked_engine_dir(name) + "/root";
    return {std::string(name), root + "/usr/sbin/dockerd", {root + "/usr/sbin", root + "/usr/bin"}};
}

}  // namespace pathwhy::lab
