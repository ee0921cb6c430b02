// A fake Docker Engine on a real unix socket, for tests that need no root and no dockerd. It
// answers GETs from a table of routes over keep-alive HTTP/1.1 and records what it was asked, or
// misbehaves on purpose: garbage instead of HTTP, or accepting and never answering. Its one
// thread is bounded (it stops by itself after a minute) and joined by the destructor, which also
// removes the socket's private temp directory.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "docker/docker_endpoint.h"

namespace pathwhy::test {

struct FakeReply {
    int status = 200;
    std::string body;
};

// Request target ("/v1.41/networks", "/containers/json?all=1") -> reply; anything else is a 404.
using FakeRoutes = std::map<std::string, FakeReply>;

enum class FakeBehaviour {
    answer,   // serve the routes
    garbage,  // read a request, answer with an SSH banner, hang up
    silent,   // accept and read, never answer
};

class FakeEngine {
  public:
    explicit FakeEngine(FakeRoutes routes, FakeBehaviour behaviour = FakeBehaviour::answer);
    ~FakeEngine();
    FakeEngine(const FakeEngine&) = delete;
    FakeEngine& operator=(const FakeEngine&) = delete;

    const std::string& socket_path() const { return socket_path_; }
    // The socket as --docker-host would name it.
    EngineEndpoint endpoint() const;

    int connections() const { return connections_; }
    std::vector<std::string> requests() const;  // targets, in the order they arrived

  private:
    void serve();
    void answer_ready_requests(int fd, std::string& buffer);
    void send_all(int fd, const std::string& data);

    FakeRoutes routes_;
    FakeBehaviour behaviour_;
    std::string dir_;
    std::string socket_path_;
    int listen_fd_ = -1;
    int wake_fd_ = -1;  // eventfd: the destructor's "stop now"
    std::atomic<int> connections_{0};
    mutable std::mutex mutex_;
    std::vector<std::string> requests_;
    std::thread thread_;
};

}  // namespace pathwhy::test
