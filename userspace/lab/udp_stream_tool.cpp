// pathwhy-lab-udp: the two ends of seed 003's UDP stream, as one small static program that runs
// in a lab's peer namespace (as it is) and inside a busybox container (bind-mounted: static, so
// it needs nothing from the image). Busybox's nc has no UDP, and its listener would `connect()`
// to its first sender and ignore every later one — the receiver must count datagrams from the
// real sender and from docker-proxy alike.
//
//   pathwhy-lab-udp send DST_IP DST_PORT SRC_PORT RATE COUNT
//       COUNT datagrams "seq N" from the fixed SRC_PORT at RATE per second, then exits; the run
//       may last 60 s at most (a lab's traffic is bounded).
//   pathwhy-lab-udp receive PORT FILE SECONDS
//       appends "SRC_IP SRC_PORT SEQ" per datagram to FILE for SECONDS (3600 at most).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace {

constexpr long kMaxSendSeconds = 60;
constexpr long kMaxReceiveSeconds = 3600;

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "pathwhy-lab-udp: %s: %s\n", what.c_str(), std::strerror(errno));
    std::exit(1);
}

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: pathwhy-lab-udp send DST_IP DST_PORT SRC_PORT RATE COUNT\n"
                 "       pathwhy-lab-udp receive PORT FILE SECONDS\n");
    std::exit(2);
}

long number(const char* text, long low, long high) {
    char* end = nullptr;
    errno = 0;
    const long value = std::strtol(text, &end, 10);
    if (errno || end == text || *end || value < low || value > high) usage();
    return value;
}

int bound_socket(long port) {
    const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) fail("socket");
    const int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_port = htons(static_cast<std::uint16_t>(port));
    if (bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local) < 0)
        fail("bind port " + std::to_string(port));
    return fd;
}

// Unconnected sendto: an ICMP port unreachable coming back must not end the stream, as it
// would on a connected socket (ECONNREFUSED on the next send).
int send_stream(char** argv) {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(number(argv[3], 1, 65535)));
    if (inet_pton(AF_INET, argv[2], &to.sin_addr) != 1) usage();
    const long source_port = number(argv[4], 1, 65535);
    const long rate = number(argv[5], 1, 100);
    const long count = number(argv[6], 1, rate * kMaxSendSeconds);
    const int fd = bound_socket(source_port);
    const auto interval = std::chrono::microseconds(1'000'000 / rate);
    auto next = std::chrono::steady_clock::now();
    for (long seq = 0; seq < count; ++seq) {
        const std::string payload = "seq " + std::to_string(seq) + "\n";
        sendto(fd, payload.data(), payload.size(), 0, reinterpret_cast<const sockaddr*>(&to),
               sizeof to);
        next += interval;
        std::this_thread::sleep_until(next);
    }
    std::printf("sent %ld\n", count);
    return 0;
}

int receive_stream(char** argv) {
    const int fd = bound_socket(number(argv[2], 1, 65535));
    const int out = open(argv[3], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (out < 0) fail(std::string("open ") + argv[3]);
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::seconds(number(argv[4], 1, kMaxReceiveSeconds));
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return 0;
        pollfd ready{fd, POLLIN, 0};
        if (poll(&ready, 1, static_cast<int>(left.count())) <= 0) continue;
        char data[512];
        sockaddr_in from{};
        socklen_t from_length = sizeof from;
        const ssize_t n = recvfrom(fd, data, sizeof data - 1, 0, reinterpret_cast<sockaddr*>(&from),
                                   &from_length);
        if (n < 0) continue;
        data[n] = '\0';
        long seq = -1;
        std::sscanf(data, "seq %ld", &seq);
        char source[INET_ADDRSTRLEN] = "?";
        inet_ntop(AF_INET, &from.sin_addr, source, sizeof source);
        // One write per line, O_APPEND: a reader never sees half a line.
        const std::string line = std::string(source) + " " + std::to_string(ntohs(from.sin_port)) +
                                 " " + std::to_string(seq) + "\n";
        if (write(out, line.data(), line.size()) < 0) fail("write");
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 7 && std::strcmp(argv[1], "send") == 0) return send_stream(argv);
    if (argc == 5 && std::strcmp(argv[1], "receive") == 0) return receive_stream(argv);
    usage();
}
