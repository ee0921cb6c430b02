#include "support/docker_fake_engine.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace pathwhy::test {

namespace {

constexpr auto kMaxLifetime = std::chrono::seconds(60);

const char* reason_phrase(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 400:
            return "Bad Request";
        case 404:
            return "Not Found";
        case 500:
            return "Internal Server Error";
        default:
            return "Status";
    }
}

// "GET /v1.41/networks HTTP/1.1\r\n..." -> "/v1.41/networks"
std::string request_target(const std::string& head) {
    auto first = head.find(' ');
    auto second = head.find(' ', first + 1);
    if (first == std::string::npos || second == std::string::npos) return {};
    return head.substr(first + 1, second - first - 1);
}

}  // namespace

FakeEngine::FakeEngine(FakeRoutes routes, FakeBehaviour behaviour)
    : routes_(std::move(routes)), behaviour_(behaviour) {
    char dir[] = "/tmp/pw-fake-engine-XXXXXX";
    if (!mkdtemp(dir)) throw std::runtime_error("mkdtemp: " + std::string(strerror(errno)));
    dir_ = dir;
    socket_path_ = dir_ + "/docker.sock";

    listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket_path_.c_str(), sizeof address.sun_path - 1);
    if (listen_fd_ < 0 ||
        bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(listen_fd_, 64) != 0)
        throw std::runtime_error("fake engine socket: " + std::string(strerror(errno)));
    wake_fd_ = eventfd(0, EFD_CLOEXEC);
    thread_ = std::thread([this] { serve(); });
}

FakeEngine::~FakeEngine() {
    std::uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof one);
    thread_.join();
    close(wake_fd_);
    close(listen_fd_);
    unlink(socket_path_.c_str());
    rmdir(dir_.c_str());
}

EngineEndpoint FakeEngine::endpoint() const {
    return parse_engine_endpoint("unix://" + socket_path_, EndpointSource::flag);
}

std::vector<std::string> FakeEngine::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

void FakeEngine::serve() {
    struct Client {
        int fd;
        std::string buffer;
    };
    std::vector<Client> clients;
    const auto deadline = std::chrono::steady_clock::now() + kMaxLifetime;

    while (std::chrono::steady_clock::now() < deadline) {
        std::vector<pollfd> fds{{wake_fd_, POLLIN, 0}, {listen_fd_, POLLIN, 0}};
        for (const auto& client : clients) fds.push_back({client.fd, POLLIN, 0});
        if (poll(fds.data(), fds.size(), 100) < 0 && errno != EINTR) break;
        if (fds[0].revents) break;
        if (fds[1].revents & POLLIN) {
            int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd >= 0) {
                // A client that stops reading must not wedge this thread, and so the destructor.
                timeval send_timeout{2, 0};
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
                ++connections_;
                clients.push_back({fd, {}});
            }
        }
        // Walk backwards so that erasing a client does not shift those still to visit; fds[i + 2]
        // belongs to clients[i] because accepted clients were appended after fds was built.
        for (std::size_t i = fds.size() - 2; i-- > 0;) {
            if (!fds[i + 2].revents) continue;
            Client& client = clients[i];
            char chunk[65536];
            ssize_t n = recv(client.fd, chunk, sizeof chunk, 0);
            bool hang_up = n <= 0;
            if (!hang_up) {
                client.buffer.append(chunk, static_cast<std::size_t>(n));
                if (behaviour_ == FakeBehaviour::answer) {
                    answer_ready_requests(client.fd, client.buffer);
                } else if (auto end = client.buffer.find("\r\n\r\n"); end != std::string::npos) {
                    {
                        std::lock_guard lock(mutex_);
                        requests_.push_back(request_target(client.buffer));
                    }
                    client.buffer.erase(0, end + 4);
                    if (behaviour_ == FakeBehaviour::garbage) {
                        send_all(client.fd, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
                        hang_up = true;
                    }
                }
            }
            if (hang_up) {
                close(client.fd);
                clients.erase(clients.begin() + static_cast<std::ptrdiff_t>(i));
            }
        }
    }
    for (const auto& client : clients) close(client.fd);
}

void FakeEngine::answer_ready_requests(int fd, std::string& buffer) {
    for (auto end = buffer.find("\r\n\r\n"); end != std::string::npos;
         end = buffer.find("\r\n\r\n")) {
        std::string target = request_target(buffer.substr(0, end));
        buffer.erase(0, end + 4);
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(target);
        }
        auto route = routes_.find(target);
        FakeReply reply = route != routes_.end()
                              ? route->second
                              : FakeReply{404, R"({"message":"page not found"})"};
        send_all(fd, "HTTP/1.1 " + std::to_string(reply.status) + " " +
                         reason_phrase(reply.status) +
                         "\r\nContent-Type: application/json\r\nServer: Docker/fake (linux)"
                         "\r\nContent-Length: " +
                         std::to_string(reply.body.size()) + "\r\n\r\n" + reply.body);
    }
}

void FakeEngine::send_all(int fd, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // the client went away; its hang-up is seen by the next poll
        sent += static_cast<std::size_t>(n);
    }
}

}  // namespace pathwhy::test
