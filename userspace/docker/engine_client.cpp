// Engine API calls over HttpClient. Docker reports errors as {"message": "..."} with an HTTP
// status; that message is what a user needs to see, so it is carried into the DockerError.
#include "docker/engine_client.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "docker/docker_error.h"
#include "docker/engine_json.h"

namespace pathwhy {

namespace {

// Network ids are hex, but a path segment must survive whatever a confused server hands back.
std::string escape_segment(const std::string& text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

// Docker's {"message": "..."}, else the start of whatever came back, on one printable line.
std::string error_message(const std::string& body) {
    auto document = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    std::string text = body;
    if (document.is_object() && document.contains("message") && document["message"].is_string())
        text = document["message"].get<std::string>();
    constexpr std::size_t kMaxShown = 200;
    if (text.size() > kMaxShown) text = text.substr(0, kMaxShown) + "...";
    for (char& c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    return text;
}

// parse_json(body), with a shape problem turned into a DockerError naming the call.
template <typename Parse>
auto parse_answer(const HttpClient& http, const std::string& path, const std::string& body,
                  Parse&& parse_json) {
    try {
        return parse_json(body);
    } catch (const EngineJsonError& e) {
        throw DockerError(DockerStatus::error, "query Docker at " + http.endpoint().url(),
                          "it answered GET " + path + " with " + e.what());
    }
}

}  // namespace

EngineClient::EngineClient(const EngineEndpoint& endpoint, HttpLimits limits)
    : http_(endpoint, limits) {
    server_ = parse_answer(http_, "/version", get("/version"), parse_version_json);
    api_ = negotiate_api_version(server_, endpoint.url());
}

// Below API 1.28 the network list carries every network's endpoints (1.28 dropped them to make the
// list cheap). Where the server still accepts 1.27 (Docker 20.10 to 28.x) that one request replaces
// an inspect per network: measured on dockerd 20.10 with 206 networks, 6 ms for the list against
// ~1.5 ms per inspect, 0.3-0.45 s in all. Docker 29 refuses 1.27 by default, so there we inspect.
std::vector<DockerNetwork> EngineClient::networks() {
    ApiVersion list_api = api_;
    auto minimum = ApiVersion::parse(server_.min_api_version);
    if (minimum && *minimum <= kLastDetailedListApi && kLastDetailedListApi < api_)
        list_api = kLastDetailedListApi;
    std::string path = versioned("/networks", list_api);
    auto listed = parse_answer(http_, path, get(path), parse_network_list_json);
    return list_api <= kLastDetailedListApi ? listed : with_endpoints(std::move(listed));
}

std::vector<DockerNetwork> EngineClient::with_endpoints(std::vector<DockerNetwork> listed) {
    std::vector<std::string> paths;
    for (const auto& network : listed)
        if (network.driver == "bridge")
            paths.push_back(versioned("/networks/" + escape_segment(network.id), api_));
    std::vector<HttpResponse> responses = http_.get_all(paths);

    std::vector<DockerNetwork> networks;
    std::size_t next = 0;
    for (auto& network : listed) {
        if (network.driver != "bridge") {
            networks.push_back(std::move(network));
            continue;
        }
        const std::string& path = paths[next];
        if (auto body = accept(path, std::move(responses[next++]), /*missing_ok=*/true))
            networks.push_back(parse_answer(http_, path, *body, parse_network_json));
    }
    return networks;
}

std::optional<DockerNetwork> EngineClient::network(const std::string& id) {
    const std::string path = versioned("/networks/" + escape_segment(id), api_);
    auto body = accept(path, http_.get(path), /*missing_ok=*/true);
    if (!body) return std::nullopt;
    return parse_answer(http_, path, *body, parse_network_json);
}

std::vector<DockerContainer> EngineClient::containers() {
    std::string path = versioned("/containers/json?all=1", api_);
    return parse_answer(http_, path, get(path), parse_container_list_json);
}

std::optional<DockerContainer> EngineClient::inspect_container(const std::string& name_or_id) {
    const std::string path = versioned("/containers/" + escape_segment(name_or_id) + "/json", api_);
    auto body = accept(path, http_.get(path), /*missing_ok=*/true);
    if (!body) return std::nullopt;
    return parse_answer(http_, path, *body, parse_container_inspect_json);
}

std::string EngineClient::versioned(const std::string& path, ApiVersion version) const {
    return "/v" + version.str() + path;
}

std::string EngineClient::get(const std::string& path) { return *accept(path, http_.get(path)); }

std::optional<std::string> EngineClient::accept(const std::string& path, HttpResponse response,
                                                bool missing_ok) const {
    if (response.status >= 200 && response.status < 300) return std::move(response.body);
    if (response.status == 404 && missing_ok) return std::nullopt;
    std::string message = error_message(response.body);
    throw DockerError(DockerStatus::error, "query Docker at " + http_.endpoint().url(),
                      "GET " + path + " failed with HTTP " + std::to_string(response.status) +
                          (message.empty() ? "" : ": " + message));
}

}  // namespace pathwhy
