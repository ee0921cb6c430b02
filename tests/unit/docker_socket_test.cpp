// read_docker_state() against fake Engine servers on real unix sockets: a correct server (both the
// one-request network list of 20.10–28 and the inspect-per-network path of 29), servers that
// misbehave (garbage, silence, HTTP 500, an ancient API, bad JSON, a huge answer) and sockets
// that are missing, stale or not ours to open. Needs no root and no dockerd (as root, the
// permission test drops to nobody in a child); every server thread is joined by its test.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "docker/docker_snapshot.h"
#include "docker/engine_json.h"
#include "support/docker_fake_engine.h"
#include "support/docker_fixture.h"

namespace pathwhy {
namespace {

using namespace std::chrono_literals;
using test::docker_fixture;
using test::FakeBehaviour;
using test::FakeEngine;
using test::FakeRoutes;

constexpr const char* kNoDaemonJson = "/nonexistent-pathwhy-dir/daemon.json";

// What dockerd 20.10 serves to pathwhy: /version, the detailed list at 1.27, containers at 1.41.
FakeRoutes docker_2010() {
    return {{"/version", {200, docker_fixture("20.10/version.json")}},
            {"/v1.27/networks", {200, docker_fixture("20.10/networks_v1.27.json")}},
            {"/v1.41/containers/json?all=1", {200, docker_fixture("20.10/containers.json")}}};
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(DockerSocket, Docker2010RoundTripUsesOneConnectionAndThreeRequests) {
    FakeEngine engine(docker_2010());
    DockerState state = read_docker_state(engine.endpoint(), kNoDaemonJson);

    ASSERT_EQ(state.status, DockerStatus::ok) << state.error;
    EXPECT_TRUE(state.error.empty());
    EXPECT_EQ(state.endpoint, "unix://" + engine.socket_path());
    EXPECT_EQ(state.server_version, "20.10.24+dfsg1");
    EXPECT_EQ(state.api_version, "1.41");
    EXPECT_EQ(state.networks.size(), 6u);
    EXPECT_EQ(state.containers.size(), 3u);
    EXPECT_FALSE(state.daemon_config.present);

    const DockerNetwork* shop = state.network_by_bridge("br-feb72f7a3df9");
    ASSERT_NE(shop, nullptr);
    EXPECT_EQ(shop->compose_project(), "shop");
    ASSERT_EQ(shop->endpoints.size(), 1u);
    EXPECT_EQ(shop->endpoints[0].ipv4->str(), "172.18.0.2/16");
    ASSERT_NE(state.network_by_bridge("pwbr0"), nullptr);

    EXPECT_EQ(engine.requests(), (std::vector<std::string>{"/version", "/v1.27/networks",
                                                           "/v1.41/containers/json?all=1"}));
    EXPECT_EQ(engine.connections(), 1);  // keep-alive
}

// Docker 29 refuses API 1.27, so bridge networks are inspected one by one under 1.47.
FakeRoutes docker_29() {
    FakeRoutes routes{
        {"/version", {200, docker_fixture("29/version.json")}},
        {"/v1.47/networks", {200, docker_fixture("27/networks.json")}},
        {"/v1.47/containers/json?all=1", {200, docker_fixture("27/containers.json")}}};
    for (const auto& network : parse_network_list_json(docker_fixture("27/networks.json")))
        if (network.driver == "bridge")
            routes["/v1.47/networks/" + network.id] = {
                200, docker_fixture("27/network_" + network.name + ".json")};
    return routes;
}

TEST(DockerSocket, Docker29InspectsEachBridgeNetwork) {
    FakeEngine engine(docker_29());
    DockerState state = read_docker_state(engine.endpoint(), kNoDaemonJson);

    ASSERT_EQ(state.status, DockerStatus::ok) << state.error;
    EXPECT_EQ(state.server_version, "29.1.2");
    EXPECT_EQ(state.api_version, "1.47");
    ASSERT_EQ(state.networks.size(), 6u);
    EXPECT_EQ(state.networks[0].name, "bridge");  // the list's order is kept
    const DockerNetwork* shop = state.network_by_bridge("br-3c2f4a9d8e7b");
    ASSERT_NE(shop, nullptr);
    EXPECT_EQ(shop->endpoints.size(), 2u);  // from the inspect: the list has none
    const DockerNetwork* leaked = state.network_by_bridge("br-d41d8cd98f00");
    ASSERT_NE(leaked, nullptr);
    EXPECT_EQ(leaked->endpoints.size(), 1u);

    auto requests = engine.requests();
    EXPECT_EQ(requests.size(), 3u + 4u);  // version, list, containers + 4 bridge inspects
    for (const auto& request : requests) EXPECT_FALSE(contains(request, "/v1.27/")) << request;
}

TEST(DockerSocket, NetworkRemovedBetweenListAndInspectIsDropped) {
    FakeRoutes routes = docker_29();
    std::erase_if(routes, [](const auto& route) {
        return contains(route.first, "/networks/d41d8cd98f00");  // answers 404 now
    });
    FakeEngine engine(routes);
    DockerState state = read_docker_state(engine.endpoint(), kNoDaemonJson);
    ASSERT_EQ(state.status, DockerStatus::ok) << state.error;
    EXPECT_EQ(state.networks.size(), 5u);
    EXPECT_EQ(state.network_by_bridge("br-d41d8cd98f00"), nullptr);
}

std::string network_json(int i, bool with_endpoint) {
    std::string id = std::string(56, 'a') + std::to_string(10000000 + i);
    std::string subnet = "10." + std::to_string(i / 256) + "." + std::to_string(i % 256);
    std::string containers = with_endpoint ? R"({"c)" + std::to_string(i) + R"(":{"Name":"job-)" +
                                                 std::to_string(i) + R"(-1","IPv4Address":")" +
                                                 subnet + R"(.2/24"}})"
                                           : "{}";
    return R"({"Name":"job-)" + std::to_string(i) + R"(_default","Id":")" + id +
           R"(","Created":"2024-10-14T07:20:41.5Z","Scope":"local","Driver":"bridge",)"
           R"("IPAM":{"Config":[{"Subnet":")" +
           subnet + R"(.0/24","Gateway":")" + subnet + R"(.1"}]},"Containers":)" + containers +
           R"(,"Options":{},"Labels":{"com.docker.compose.project":"job-)" + std::to_string(i) +
           R"("}})";
}

// The worst case for speed: 200 networks on a server that makes us inspect each one.
TEST(DockerSocket, TwoHundredNetworksAreReadQuicklyOverAFewConnections) {
    constexpr int kNetworks = 200;
    FakeRoutes routes{{"/version", {200, docker_fixture("29/version.json")}},
                      {"/v1.47/containers/json?all=1", {200, "[]"}}};
    std::string list = "[";
    for (int i = 0; i < kNetworks; ++i) {
        list += (i ? "," : "") + network_json(i, false);
        std::string id = std::string(56, 'a') + std::to_string(10000000 + i);
        routes["/v1.47/networks/" + id] = {200, network_json(i, true)};
    }
    routes["/v1.47/networks"] = {200, list + "]"};
    FakeEngine engine(routes);

    auto start = std::chrono::steady_clock::now();
    DockerState state = read_docker_state(engine.endpoint(), kNoDaemonJson);
    double elapsed = seconds_since(start);

    ASSERT_EQ(state.status, DockerStatus::ok) << state.error;
    ASSERT_EQ(state.networks.size(), static_cast<std::size_t>(kNetworks));
    for (int i = 0; i < kNetworks; ++i) {  // answers land in list order despite concurrency
        EXPECT_EQ(state.networks[i].name, "job-" + std::to_string(i) + "_default");
        ASSERT_EQ(state.networks[i].endpoints.size(), 1u);
    }
    EXPECT_EQ(engine.requests().size(), 3u + kNetworks);
    EXPECT_LE(engine.connections(), HttpLimits{}.max_parallel);
    RecordProperty("seconds", std::to_string(elapsed));
    std::printf("read of %d networks: %.3f s over %d connections\n", kNetworks, elapsed,
                engine.connections());
    EXPECT_LT(elapsed, 2.0);  // ~0.02 s here; the bound only catches a return to O(n) round trips
}

TEST(DockerSocket, GarbageInsteadOfHttpIsAnError) {
    FakeEngine engine({}, FakeBehaviour::garbage);
    auto start = std::chrono::steady_clock::now();
    DockerState state = read_docker_state(engine.endpoint(), kNoDaemonJson);
    EXPECT_LT(seconds_since(start), 5.0);
    EXPECT_EQ(state.status, DockerStatus::error);
    EXPECT_TRUE(contains(state.error, "cannot query Docker at unix://" + engine.socket_path() +
                                          ": it answered GET /version with something that is "
                                          "not HTTP"))
        << state.error;
}

TEST(DockerSocket, ServerThatNeverAnswersTimesOutWithTheDefaultLimits) {
    FakeEngine engine({}, FakeBehaviour::silent);
    auto start = std::chrono::steady_clock::now();
    DockerState state = read_docker_state(engine.endpoint(), kNoDaemonJson);
    double elapsed = seconds_since(start);
    EXPECT_LT(elapsed, 5.0);
    EXPECT_EQ(state.status, DockerStatus::error);
    EXPECT_TRUE(contains(state.error, "it did not answer GET /version within 3 s")) << state.error;
    EXPECT_EQ(engine.requests(), std::vector<std::string>{"/version"});
}

TEST(DockerSocket, TotalBudgetCapsEveryRequest) {
    FakeEngine engine({}, FakeBehaviour::silent);
    HttpLimits limits;
    limits.total_budget = 300ms;
    auto start = std::chrono::steady_clock::now();
    DockerState state = read_docker_state(engine.endpoint(), kNoDaemonJson, limits);
    EXPECT_LT(seconds_since(start), 2.0);
    EXPECT_TRUE(contains(state.error,
                         "it did not finish answering within 0.3 s in all (waiting "
                         "for GET /version)"))
        << state.error;
}

TEST(DockerSocket, MissingSocketIsUnreachableWhenNamedAndAbsentWhenDefault) {
    std::string path = "/tmp/pathwhy-no-such-dir-" + std::to_string(getpid()) + "/docker.sock";
    DockerState named = read_docker_state(
        parse_engine_endpoint("unix://" + path, EndpointSource::environment), kNoDaemonJson);
    EXPECT_EQ(named.status, DockerStatus::unreachable);
    EXPECT_EQ(named.error, "cannot connect to Docker at unix://" + path +
                               ": no such socket (is Docker installed and running? see "
                               "systemctl status docker)");

    // The same path as the built-in default (as /var/run/docker.sock is on a host without
    // Docker): nothing to diagnose, not an error. daemon.json is still read.
    auto daemon_json = std::filesystem::temp_directory_path() /
                       ("pathwhy-daemon-" + std::to_string(getpid()) + ".json");
    std::ofstream(daemon_json) << R"({"bip": "10.200.0.1/24"})";
    DockerState absent = read_docker_state(
        parse_engine_endpoint("unix://" + path, EndpointSource::built_in_default), daemon_json);
    std::filesystem::remove(daemon_json);
    EXPECT_EQ(absent.status, DockerStatus::absent);
    EXPECT_EQ(absent.error, "no Docker socket at " + path);
    EXPECT_TRUE(absent.daemon_config.present);
    EXPECT_EQ(absent.daemon_config.bip->str(), "10.200.0.1/24");
}

// A unix socket in its own temp directory, with no server thread behind it.
class BareSocket {
  public:
    explicit BareSocket(bool listening) {
        char dir[] = "/tmp/pathwhy-socket-XXXXXX";
        if (!mkdtemp(dir)) throw std::runtime_error("mkdtemp failed");
        dir_ = dir;
        path_ = dir_ + "/docker.sock";
        fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path_.c_str(), sizeof address.sun_path - 1);
        if (bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
            (listening && listen(fd_, 4) != 0))
            throw std::runtime_error("bind/listen failed");
    }
    ~BareSocket() {
        close(fd_);
        std::filesystem::remove_all(dir_);
    }
    const std::string& path() const { return path_; }
    const std::string& dir() const { return dir_; }

  private:
    std::string dir_;
    std::string path_;
    int fd_ = -1;
};

TEST(DockerSocket, StaleSocketFileIsConnectionRefused) {
    BareSocket stale(/*listening=*/false);  // what a dockerd that died leaves behind
    for (auto source : {EndpointSource::flag, EndpointSource::built_in_default}) {
        DockerState state =
            read_docker_state(parse_engine_endpoint(stale.path(), source), kNoDaemonJson);
        EXPECT_EQ(state.status, DockerStatus::unreachable);
        EXPECT_TRUE(contains(state.error, ": connection refused (dockerd is not running"))
            << state.error;
    }
}

// Root may open any socket, so as root the read runs in a child that has become nobody. The
// test process has no other threads here (every FakeEngine is gone), which makes fork() safe.
TEST(DockerSocket, PermissionDeniedSaysHowToGetAccess) {
    BareSocket socket(/*listening=*/true);
    chmod(socket.dir().c_str(), 0755);
    chmod(socket.path().c_str(), 0600);
    auto read = [&] {
        return read_docker_state(parse_engine_endpoint(socket.path(), EndpointSource::flag),
                                 kNoDaemonJson);
    };
    std::string error;
    if (geteuid() != 0) {
        DockerState state = read();
        EXPECT_EQ(state.status, DockerStatus::unreachable);
        error = state.error;
    } else {
        int pipe_fds[2];
        ASSERT_EQ(pipe(pipe_fds), 0);
        pid_t child = fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            close(pipe_fds[0]);
            if (setgid(65534) != 0 || setuid(65534) != 0) _exit(2);
            DockerState state = read();
            std::string line = docker_status_name(state.status) + "|" + state.error;
            _exit(write(pipe_fds[1], line.data(), line.size()) < 0 ? 3 : 0);
        }
        close(pipe_fds[1]);
        std::string line;
        char chunk[512];
        for (ssize_t n; (n = ::read(pipe_fds[0], chunk, sizeof chunk)) > 0;) line.append(chunk, n);
        close(pipe_fds[0]);
        int status = 0;
        waitpid(child, &status, 0);
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
        EXPECT_TRUE(line.starts_with("unreachable|")) << line;
        error = line;
    }
    EXPECT_TRUE(contains(error, "cannot connect to Docker at unix://" + socket.path() +
                                    ": permission denied (run as root or add yourself to the "
                                    "docker group)"))
        << error;
}

TEST(DockerSocket, HttpErrorShowsDockersMessage) {
    FakeRoutes routes = docker_2010();
    routes["/v1.27/networks"] = {500, R"({"message":"error while listing networks: boltdb: )"
                                      R"(database is locked"})"};
    FakeEngine engine(routes);
    DockerState state = read_docker_state(engine.endpoint(), kNoDaemonJson);
    EXPECT_EQ(state.status, DockerStatus::error);
    EXPECT_TRUE(contains(state.error,
                         "GET /v1.27/networks failed with HTTP 500: error while listing "
                         "networks: boltdb: database is locked"))
        << state.error;
    EXPECT_EQ(state.api_version, "1.41");  // what was learnt before the failure is kept
    EXPECT_TRUE(state.networks.empty());
}

TEST(DockerSocket, ApiOlderThan124IsRefusedAfterOneRequest) {
    FakeEngine engine(
        {{"/version", {200, R"({"Version":"1.11.2","ApiVersion":"1.23","Os":"linux"})"}}});
    DockerState state = read_docker_state(engine.endpoint(), kNoDaemonJson);
    EXPECT_EQ(state.status, DockerStatus::error);
    EXPECT_TRUE(contains(state.error,
                         "it speaks Engine API 1.23 (Docker 1.11.2), older than the "
                         "1.24 pathwhy needs (upgrade Docker"))
        << state.error;
    EXPECT_EQ(engine.requests().size(), 1u);
}

TEST(DockerSocket, AnswersOfTheWrongShapeNameTheCall) {
    FakeRoutes html = docker_2010();
    html["/v1.41/containers/json?all=1"] = {200, "<html><body>502 Bad Gateway</body></html>"};
    FakeEngine html_engine(html);
    DockerState not_json = read_docker_state(html_engine.endpoint(), kNoDaemonJson);
    EXPECT_EQ(not_json.status, DockerStatus::error);
    EXPECT_TRUE(contains(not_json.error,
                         "it answered GET /v1.41/containers/json?all=1 with "
                         "invalid JSON"))
        << not_json.error;

    FakeEngine object_engine({{"/version", {200, "[]"}}});
    DockerState wrong = read_docker_state(object_engine.endpoint(), kNoDaemonJson);
    EXPECT_EQ(wrong.status, DockerStatus::error);
    EXPECT_TRUE(contains(wrong.error,
                         "it answered GET /version with unexpected JSON: expected "
                         "an object, got an array"))
        << wrong.error;
}

TEST(DockerSocket, OversizedAnswerIsCutOff) {
    FakeRoutes routes = docker_2010();
    routes["/v1.41/containers/json?all=1"] = {200, "[" + std::string(64 * 1024, ' ') + "]"};
    FakeEngine engine(routes);
    HttpLimits limits;
    limits.max_body_bytes = 16 * 1024;
    DockerState state = read_docker_state(engine.endpoint(), kNoDaemonJson, limits);
    EXPECT_EQ(state.status, DockerStatus::error);
    EXPECT_TRUE(contains(state.error,
                         "its answer to GET /v1.41/containers/json?all=1 is larger "
                         "than 16384 bytes"))
        << state.error;
}

}  // namespace
}  // namespace pathwhy
