// posix_spawn-based runner: the child gets a clean signal mask and default dispositions (our
// InterruptGuard blocks SIGINT/SIGTERM, and a blocked mask survives exec), its own process group
// (so a timeout can kill its grandchildren too), and pipes we drain with poll() while watching
// a pidfd for its exit, the deadline and the interrupt flag.
#include "common/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

#include "common/error.h"
#include "common/interrupt.h"
#include "common/slowdown.h"

extern char** environ;

namespace pathwhy {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How often a waiting runner looks at the interrupt flag.
constexpr milliseconds kInterruptPoll{100};

class Fd {
  public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() { reset(); }
    Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = std::exchange(other.fd_, -1);
        }
        return *this;
    }
    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    int release() { return std::exchange(fd_, -1); }
    void reset() {
        if (fd_ >= 0) close(fd_);
        fd_ = -1;
    }

  private:
    int fd_ = -1;
};

[[noreturn]] void throw_errno(const std::string& action) { throw Error(action, errno_text(errno)); }

// Our read end is non-blocking for poll(); the child's write end must stay blocking, or a full
// pipe makes it fail with EAGAIN.
std::pair<Fd, Fd> make_pipe() {
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) throw_errno("create a pipe");
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    return {Fd(p[0]), Fd(p[1])};
}

Fd open_or_throw(const char* path, int flags) {
    Fd fd(open(path, flags | O_CLOEXEC, 0644));
    if (!fd) throw_errno(std::string("open ") + path);
    return fd;
}

std::vector<std::string> environment_with(
    const std::vector<std::pair<std::string, std::string>>& extra) {
    std::vector<std::string> env;
    for (char** entry = environ; *entry; ++entry) {
        const std::string_view text(*entry);
        const auto key = text.substr(0, text.find('='));
        if (std::none_of(extra.begin(), extra.end(),
                         [&](const auto& kv) { return kv.first == key; }))
            env.emplace_back(text);
    }
    for (const auto& [key, value] : extra) env.push_back(key + "=" + value);
    return env;
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
}

// Starts argv with stdin, stdout and stderr on the given descriptors.
pid_t spawn_process(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                    int in, int out, int err) {
    if (argv.empty()) throw Error("run a command", "empty argument list");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in, STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err, STDERR_FILENO);

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attr, 0);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) sigaddset(&defaults, sig);
    posix_spawnattr_setsigdefault(&attr, &defaults);

    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, argv[0].c_str(), &actions, &attr, c_strings(argv).data(),
                                c_strings(env).data());
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw Error("run " + display_command(argv), errno_text(rc));
    return pid;
}

// Reads whatever is available without blocking; closes fd at end of file.
void drain(Fd& fd, std::string& sink) {
    char buf[65536];
    while (fd) {
        const ssize_t n = read(fd.get(), buf, sizeof buf);
        if (n > 0) {
            sink.append(buf, static_cast<std::size_t>(n));
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
            fd.reset();
        } else if (errno == EAGAIN) {
            return;
        }
    }
}

std::string exit_text(int exit_code, int term_signal) {
    if (term_signal) return std::string("killed by SIG") + sigabbrev_np(term_signal);
    return "exited with " + std::to_string(exit_code);
}

// A pidfd for a child we just started; without one we could not wait for it with a deadline, so
// the child is killed rather than left behind.
Fd watch_child(pid_t pid, const std::vector<std::string>& argv) {
    Fd pidfd(open_pidfd(pid));
    if (!pidfd) {
        const int err = errno;
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        throw Error("watch " + display_command(argv), errno_text(err), "needs Linux 5.3 or later");
    }
    return pidfd;
}

std::string last_line(const std::string& text) {
    auto end = text.find_last_not_of(" \t\r\n");
    if (end == std::string::npos) return {};
    const auto start = text.rfind('\n', end);
    return text.substr(start == std::string::npos ? 0 : start + 1,
                       end - (start == std::string::npos ? 0 : start + 1) + 1);
}

// The line that says why: the last one naming an error, else the last one. Tools often end
// with a hint after the error itself (docker: "Error response from daemon: ..." then "Run
// 'docker run --help' for more information").
std::string telling_line(const std::string& text) {
    std::string rest = text;
    while (!rest.empty()) {
        std::string line = last_line(rest);
        if (line.empty()) break;
        std::string lower = line;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (lower.find("error") != std::string::npos) return line;
        rest.resize(rest.rfind(line));
    }
    return last_line(text);
}

}  // namespace

std::string ProcessResult::failure() const {
    const std::string what =
        timed_out ? "did not finish in time" : exit_text(exit_code, term_signal);
    std::string line = telling_line(err);
    if (line.empty()) line = telling_line(out);
    return line.empty() ? what : what + ": " + line;
}

std::string display_command(const std::vector<std::string>& argv) {
    constexpr std::size_t kMax = 160;
    std::string text;
    for (const auto& arg : argv) {
        if (!text.empty()) text += ' ';
        const bool plain =
            !arg.empty() && arg.find_first_of(" \t\n'\"$\\*?;&|<>(){}") == std::string::npos;
        text += plain ? arg : "'" + arg + "'";
    }
    return text.size() > kMax ? text.substr(0, kMax) + "..." : text;
}

ProcessResult run_command(const std::vector<std::string>& argv, const RunOptions& options) {
    const std::string action = "run " + display_command(argv);
    if (options.interruptible) throw_if_interrupted(action);

    auto [out_read, out_write] = make_pipe();
    auto [err_read, err_write] = make_pipe();
    // stdin is a socket, not a pipe: send(MSG_NOSIGNAL) reports EPIPE when the child stops
    // reading, where a pipe would raise SIGPIPE in whichever thread wrote.
    Fd in_parent, in_child;
    if (options.stdin_data.empty()) {
        in_child = open_or_throw("/dev/null", O_RDONLY);
    } else {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
            throw_errno("create a socket pair");
        in_parent = Fd(sv[0]);
        in_child = Fd(sv[1]);
        fcntl(in_parent.get(), F_SETFL, O_NONBLOCK);
    }

    const pid_t pid = spawn_process(argv, environment_with(options.env), in_child.get(),
                                    out_write.get(), err_write.get());
    in_child.reset();
    out_write.reset();
    err_write.reset();
    const Fd pidfd = watch_child(pid, argv);

    ProcessResult result;
    result.argv = argv;
    std::size_t written = 0;
    // Under emulation (PATHWHY_LAB_SLOWDOWN) a `docker run` takes many times as long.
    const auto deadline = Clock::now() + scaled_timeout(options.timeout);
    auto kill_and_reap = [pid] {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        return status;
    };

    for (bool exited = false; !exited;) {
        if (options.interruptible && interrupted()) {
            kill_and_reap();
            throw_if_interrupted(action);
        }
        const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            break;
        }
        pollfd fds[4];
        nfds_t n = 0;
        fds[n++] = {pidfd.get(), POLLIN, 0};
        if (out_read) fds[n++] = {out_read.get(), POLLIN, 0};
        if (err_read) fds[n++] = {err_read.get(), POLLIN, 0};
        if (in_parent) fds[n++] = {in_parent.get(), POLLOUT, 0};
        if (poll(fds, n, static_cast<int>(std::min(left, kInterruptPoll).count())) < 0 &&
            errno != EINTR) {
            const int err = errno;
            kill_and_reap();
            throw Error("wait for " + display_command(argv), errno_text(err));
        }
        exited = fds[0].revents != 0;
        drain(out_read, result.out);
        drain(err_read, result.err);
        while (in_parent && written < options.stdin_data.size()) {
            const ssize_t sent = send(in_parent.get(), options.stdin_data.data() + written,
                                      options.stdin_data.size() - written, MSG_NOSIGNAL);
            if (sent > 0) {
                written += static_cast<std::size_t>(sent);
            } else if (errno == EAGAIN) {
                break;
            } else if (errno != EINTR) {
                in_parent.reset();  // EPIPE: the child stopped reading; its status will say why
            }
        }
        if (in_parent && written == options.stdin_data.size()) in_parent.reset();  // EOF
    }

    int status = 0;
    if (result.timed_out) {
        status = kill_and_reap();
    } else {
        waitpid(pid, &status, 0);
    }
    // What the child wrote before exiting is still in the pipes; a grandchild that kept them
    // open is not waited for.
    drain(out_read, result.out);
    drain(err_read, result.err);
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
    return result;
}

ProcessResult run_checked(const std::vector<std::string>& argv, const RunOptions& options) {
    ProcessResult result = run_command(argv, options);
    if (!result.ok()) throw Error("run " + display_command(argv), result.failure());
    return result;
}

RunOptions uninterruptible(std::chrono::milliseconds timeout) {
    RunOptions options;
    options.timeout = timeout;
    options.interruptible = false;
    return options;
}

int open_pidfd(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& log_path,
                           std::chrono::milliseconds grace)
    : grace_(grace) {
    const Fd in = open_or_throw("/dev/null", O_RDONLY);
    const Fd log = open_or_throw(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND);
    pid_ = spawn_process(argv, environment_with({}), in.get(), log.get(), log.get());
    pidfd_ = watch_child(pid_, argv).release();
}

ChildProcess::~ChildProcess() {
    terminate();
    close(pidfd_);
}

bool ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
    if (exited_) return true;
    pollfd pfd{pidfd_, POLLIN, 0};
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
        const int ready = poll(&pfd, 1, static_cast<int>(std::max<long>(left.count(), 0)));
        if (ready > 0) break;
        if (ready == 0 || errno != EINTR) return false;
    }
    waitpid(pid_, &status_, 0);
    exited_ = true;
    return true;
}

std::string ChildProcess::exit_description() const {
    return exit_text(WIFEXITED(status_) ? WEXITSTATUS(status_) : -1,
                     WIFSIGNALED(status_) ? WTERMSIG(status_) : 0);
}

void ChildProcess::terminate() noexcept {
    if (exited_ || pid_ <= 0) return;
    kill(pid_, SIGTERM);
    if (wait_exit(grace_)) return;
    kill(pid_, SIGKILL);
    wait_exit(std::chrono::seconds(10));
}

}  // namespace pathwhy
