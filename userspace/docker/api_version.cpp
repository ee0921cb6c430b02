// Parsing and negotiation of Engine API versions.
#include "docker/api_version.h"

#include <algorithm>
#include <charconv>

#include "docker/docker_error.h"

namespace pathwhy {

namespace {

std::optional<int> number(std::string_view text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return value;
}

}  // namespace

std::optional<ApiVersion> ApiVersion::parse(std::string_view text) {
    auto dot = text.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    auto major = number(text.substr(0, dot));
    auto minor = number(text.substr(dot + 1));
    if (!major || !minor) return std::nullopt;
    return ApiVersion{*major, *minor};
}

std::string ApiVersion::str() const { return std::to_string(major) + "." + std::to_string(minor); }

ApiVersion negotiate_api_version(const EngineVersion& server, const std::string& where) {
    const std::string action = "use Docker at " + where;
    auto newest = ApiVersion::parse(server.api_version);
    if (!newest)
        throw DockerError(
            DockerStatus::error, action,
            "its /version answer names no API version (ApiVersion \"" + server.api_version + "\")",
            "is this really a Docker socket?");
    ApiVersion chosen = std::min(*newest, kNewestKnownApi);
    if (auto minimum = ApiVersion::parse(server.min_api_version); minimum && chosen < *minimum)
        chosen = *minimum;
    if (chosen < kOldestUsableApi)
        throw DockerError(DockerStatus::error, action,
                          "it speaks Engine API " + chosen.str() + " (Docker " + server.version +
                              "), older than the " + kOldestUsableApi.str() + " pathwhy needs",
                          "upgrade Docker to 1.12 or newer");
    return chosen;
}

}  // namespace pathwhy
