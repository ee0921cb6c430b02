// Keep-alive HTTP/1.1 GETs to the Engine API over libcurl, one at a time or several at once. It
// turns every transport failure into a DockerError that names the endpoint and what went wrong, so
// no caller ever sees a curl code; HTTP statuses are returned, not judged. Timeouts are short
// because a diagnosis tool must never hang on a wedged dockerd.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "docker/docker_endpoint.h"

namespace pathwhy {

struct HttpLimits {
    std::chrono::milliseconds connect_timeout{1000};
    std::chrono::milliseconds request_timeout{3000};  // one request, from connect to last byte
    std::chrono::milliseconds total_budget{10000};    // all requests of one client together
    std::size_t max_body_bytes = std::size_t{64} << 20;
    // Connections get_all() may use at once. dockerd serves requests concurrently: 200 network
    // inspects on 20.10 took 0.45 s one at a time and 0.31 s over four connections.
    int max_parallel = 4;
};

struct HttpResponse {
    long status = 0;
    std::string body;
};

class HttpClient {
  public:
    explicit HttpClient(EngineEndpoint endpoint, HttpLimits limits = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // GET `path` ("/version"). Throws DockerError when no complete HTTP answer arrived: with
    // status unreachable when no connection could be made, error for everything after that.
    HttpResponse get(const std::string& path);
    // GET every path, up to max_parallel at once, answers in the order of `paths`. Throws as get()
    // does for the first request that fails, after stopping the others.
    std::vector<HttpResponse> get_all(const std::vector<std::string>& paths);

    const EngineEndpoint& endpoint() const { return endpoint_; }

  private:
    struct Transfer;
    [[noreturn]] void fail(const Transfer& transfer, int curl_code) const;
    std::string out_of_budget() const;

    EngineEndpoint endpoint_;
    HttpLimits limits_;
    std::chrono::steady_clock::time_point deadline_;
    std::string base_url_;
    void* multi_;  // CURLM*: owns the connection pool, so connections outlive single requests
    std::vector<std::unique_ptr<Transfer>> transfers_;  // easy handles, reused between calls
};

}  // namespace pathwhy
