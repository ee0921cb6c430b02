// Starting, probing and stopping a lab's dockerd.
#include "lab/dockerd.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/interrupt.h"
#include "common/slowdown.h"
#include "lab/pids.h"
#include "lab/teardown.h"

namespace pathwhy::lab {
namespace {

using std::chrono::milliseconds;

// In the lab dir, next to dockerd's data root, exec root and pid file.
constexpr const char* kSocket = "docker.sock";
constexpr const char* kLog = "dockerd.log";
// How long to wait for dockerd's exit between two pings; also bounds a ping's own wait.
constexpr milliseconds kPingInterval{50};

// One HTTP/1.0 request on the Engine socket. dockerd listens before it has initialised and
// answers queued connections once ready, so a ping that connects waits for that moment.
bool ping(const std::string& socket_path, milliseconds timeout) {
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    timeval tv{static_cast<time_t>(timeout.count() / 1000),
               static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    socket_path.copy(addr.sun_path, sizeof addr.sun_path - 1);
    std::string reply;
    if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) {
        constexpr std::string_view request = "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n";
        if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(request.size())) {
            char buf[64];
            const ssize_t n = recv(fd, buf, sizeof buf, 0);
            if (n > 0) reply.assign(buf, static_cast<std::size_t>(n));
        }
    }
    close(fd);
    // "HTTP/1.0 200 OK"
    return reply.starts_with("HTTP/1.") && reply.size() >= 12 && reply.substr(9, 3) == "200";
}

// --config-file keeps the machine's /etc/docker/daemon.json (pools, bip, ...) out of the lab;
// deprecated-key-path keeps dockerd 20.10 from creating /etc/docker/key.json (it is no flag).
// The options' bip and pools go in the same file, where pathwhy --daemon-json reads them as on a
// real host — unless they are to be given as flags (daemon_flags()).
std::string write_config(const std::string& dir, const DockerdOptions& options) {
    std::vector<std::string> members{fmt::format("\"deprecated-key-path\": \"{}/key.json\"", dir)};
    const std::string path = dir + "/daemon.json";
    if (options.settings_on_command_line) {
        std::ofstream(path) << fmt::format("{{{}}}\n", fmt::join(members, ", "));
        return path;
    }
    if (!options.bip.empty()) members.push_back(fmt::format("\"bip\": \"{}\"", options.bip));
    std::vector<std::string> pools;
    for (const auto& pool : options.default_address_pools)
        pools.push_back(fmt::format("{{\"base\": \"{}\", \"size\": {}}}", pool.base, pool.size));
    if (!pools.empty())
        members.push_back(fmt::format("\"default-address-pools\": [{}]", fmt::join(pools, ", ")));
    if (options.userland_proxy)
        members.push_back(fmt::format("\"userland-proxy\": {}", *options.userland_proxy));
    std::ofstream(path) << fmt::format("{{{}}}\n", fmt::join(members, ", "));
    return path;
}

std::vector<std::string> daemon_flags(const DockerdOptions& options) {
    if (!options.settings_on_command_line) return {};
    std::vector<std::string> flags;
    if (!options.bip.empty()) flags.push_back("--bip=" + options.bip);
    for (const auto& pool : options.default_address_pools)
        flags.push_back(
            fmt::format("--default-address-pool=base={},size={}", pool.base, pool.size));
    if (options.userland_proxy)
        flags.push_back(fmt::format("--userland-proxy={}", *options.userland_proxy));
    return flags;
}

// `env PATH=ENGINE-DIRS:$PATH DOCKERD ...`: the engine's containerd, shim and docker-proxy are
// found before the system's; env and nsenter exec, so the pid is dockerd's own.
std::vector<std::string> dockerd_argv(const DockerEngine& engine, const DockerdOptions& options) {
    std::vector<std::string> argv;
    if (!engine.path_first.empty()) {
        const char* path = std::getenv("PATH");
        argv = {"env", fmt::format("PATH={}:{}", fmt::join(engine.path_first, ":"),
                                   path ? path : "/usr/sbin:/usr/bin:/sbin:/bin")};
    }
    argv.push_back(options.binary.empty() ? engine.dockerd : options.binary);
    return argv;
}

pid_t find_containerd(pid_t dockerd) {
    for (pid_t child : children_of(dockerd)) {
        const auto argv = process_cmdline(child);
        if (!argv.empty() && std::filesystem::path(argv[0]).filename() == "containerd")
            return child;
    }
    return 0;
}

std::string socket_in(const std::string& dir) { return dir + "/" + kSocket; }

// `docker -H unix://DIR/docker.sock ARGS...` (the CLI on PATH; it negotiates the API version
// down), with DOCKER_CONFIG in the lab dir so the user's contexts and credentials stay out.
std::vector<std::string> docker_cli(const std::string& dir, const std::vector<std::string>& args) {
    std::vector<std::string> argv{"docker", "-H", "unix://" + socket_in(dir)};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

RunOptions docker_cli_options(const std::string& dir, RunOptions options) {
    options.env.emplace_back("DOCKER_CONFIG", dir + "/cli");
    return options;
}

// `docker rm -f` of every container. dockerd would stop them itself on SIGTERM, but `sleep` as a
// container's pid 1 ignores SIGTERM and would cost the 10 s stop timeout each; and only shims
// whose container was deleted through containerd exit cleanly, removing their sockets.
std::vector<std::string> remove_containers(const std::string& dir) {
    const auto listed =
        run_command(docker_cli(dir, {"ps", "--all", "--quiet"}),
                    docker_cli_options(dir, uninterruptible(std::chrono::seconds(10))));
    if (!listed.ok()) return {"cannot list containers in " + dir + ": " + listed.failure()};
    std::vector<std::string> rm{"rm", "--force"};
    std::istringstream ids(listed.out);
    for (std::string id; ids >> id;) rm.push_back(id);
    if (rm.size() == 2) return {};
    const auto removed = run_command(
        docker_cli(dir, rm), docker_cli_options(dir, uninterruptible(std::chrono::seconds(30))));
    if (!removed.ok()) return {"cannot remove containers in " + dir + ": " + removed.failure()};
    return {};
}

}  // namespace

LabDockerd::LabDockerd(const LabNamespace& ns, const std::string& dir,
                       const DockerdOptions& options)
    : dir_(dir) {
    start(ns, options);
}

void LabDockerd::start(const LabNamespace& ns, const DockerdOptions& options) {
    const DockerEngine engine = find_engine(options.engine);
    const std::string config = write_config(dir(), options);
    std::vector<std::string> argv = dockerd_argv(engine, options);
    for (const std::string& arg :
         {std::string("--config-file"), config, std::string("--host"), docker_host(),
          std::string("--data-root"), dir() + "/root", std::string("--exec-root"), dir() + "/exec",
          std::string("--pidfile"), dir() + "/docker.pid"})
        argv.push_back(arg);
    for (const std::string& flag : daemon_flags(options)) argv.push_back(flag);
    daemon_.emplace(ns.exec_argv(argv), dir() + "/" + kLog);
    wait_ready(ns, options);
    containerd_ = find_containerd(daemon_->pid());
    engine_ = engine.name;
    server_version_ = docker({"version", "--format", "{{.Server.Version}}"});
    while (!server_version_.empty() &&
           std::isspace(static_cast<unsigned char>(server_version_.back())))
        server_version_.pop_back();
}

void LabDockerd::restart(const LabNamespace& ns, const DockerdOptions& options) {
    const auto problems = remove_containers(dir());
    if (!problems.empty()) throw Error("restart dockerd in " + dir(), problems.front());
    daemon_.reset();  // SIGTERM; dockerd stops its containerd on the way out
    // A containerd still shutting down would hold the socket the new dockerd's one wants.
    if (containerd_ && !wait_until_gone(containerd_, std::chrono::seconds(10)))
        throw Error("restart dockerd in " + dir(),
                    fmt::format("its containerd {} is still running", containerd_));
    containerd_ = 0;
    DockerdOptions same_engine = options;
    same_engine.engine = engine_;
    start(ns, same_engine);
}

void LabDockerd::wait_ready(const LabNamespace& ns, const DockerdOptions& options) {
    const std::string action = "start dockerd in namespace " + ns.name();
    const auto timeout = scaled_timeout(options.ready_timeout);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        throw_if_interrupted(action);
        if (ping(socket_path(), std::chrono::seconds(1))) return;
        if (daemon_->wait_exit(kPingInterval))
            throw Error(action, fmt::format("it {}; {} ends:\n{}", daemon_->exit_description(),
                                            dir() + "/" + kLog, log_tail(8)));
        if (std::chrono::steady_clock::now() > deadline)
            throw Error(
                action,
                fmt::format("no answer on {} after {} s; {} ends:\n{}", socket_path(),
                            std::chrono::duration_cast<std::chrono::seconds>(timeout).count(),
                            dir() + "/" + kLog, log_tail(8)));
    }
}

LabDockerd::~LabDockerd() {
    try {
        for (const auto& problem : remove_containers(dir())) report_teardown_problem(problem);
    } catch (const std::exception& e) {
        report_teardown_problem(e.what());
    }
    // Members end in reverse order: daemon_ (SIGTERM, wait, SIGKILL), then dir_'s sweep.
}

std::string LabDockerd::socket_path() const { return socket_in(dir()); }

std::string LabDockerd::docker_host() const { return "unix://" + socket_path(); }

std::string LabDockerd::log_tail(std::size_t lines) const {
    std::ifstream log(dir() + "/" + kLog);
    std::deque<std::string> tail;
    for (std::string line; std::getline(log, line);) {
        tail.push_back("  " + line);
        if (tail.size() > lines) tail.pop_front();
    }
    if (tail.empty()) return "  (empty)";
    return fmt::format("{}", fmt::join(tail, "\n"));
}

std::string LabDockerd::docker(const std::vector<std::string>& args, RunOptions options) const {
    return run_checked(docker_cli(dir(), args), docker_cli_options(dir(), std::move(options))).out;
}

std::vector<std::string> stop_orphaned_dockerd(const std::string& dir) {
    pid_t pid = 0;
    std::ifstream(dir + "/docker.pid") >> pid;
    if (pid <= 0 || !process_alive(pid)) return {};
    // The pid file may be stale and its pid reused: only a dockerd serving this dir is ours.
    const auto argv = process_cmdline(pid);
    const bool ours = !argv.empty() && std::filesystem::path(argv[0]).filename() == "dockerd" &&
                      std::any_of(argv.begin(), argv.end(),
                                  [&](const auto& arg) { return names_path_in(arg, dir); });
    if (!ours) return {};
    auto problems = remove_containers(dir);
    kill(pid, SIGTERM);
    if (!wait_until_gone(pid, std::chrono::seconds(20)))
        problems.push_back(fmt::format("dockerd {} of {} ignored SIGTERM", pid, dir));
    return problems;
}

}  // namespace pathwhy::lab
