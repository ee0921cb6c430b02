// Engine API versions and the choice of which one to speak. Docker answers /version on every API
// version, then expects every other call under /v<major>.<minor>/; speaking the server's own
// version when it is older than ours keeps 20.10 (1.41) working, and capping at the newest
// version we know keeps answers in shapes we have seen.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace pathwhy {

struct ApiVersion {
    int major = 1;
    int minor = 0;

    static std::optional<ApiVersion> parse(std::string_view text);  // "1.41"
    std::string str() const;

    auto operator<=>(const ApiVersion&) const = default;
};

inline constexpr ApiVersion kNewestKnownApi{1, 47};       // Docker 27.x
inline constexpr ApiVersion kOldestUsableApi{1, 24};      // Docker 1.12
inline constexpr ApiVersion kLastDetailedListApi{1, 27};  // GET /networks still has endpoints

// What /version says about the server.
struct EngineVersion {
    std::string version;          // "20.10.24+dfsg1"
    std::string api_version;      // "1.41": the newest the server speaks
    std::string min_api_version;  // "1.12"; empty on servers too old to say
};

// min(server's newest, ours), raised to the server's minimum if the server no longer accepts
// ours (the fields pathwhy reads have kept their shape since 1.24). Throws DockerError with the
// reason when no usable version is left; `where` names the endpoint in that message.
ApiVersion negotiate_api_version(const EngineVersion& server, const std::string& where);

}  // namespace pathwhy
