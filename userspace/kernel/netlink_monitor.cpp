#include "kernel/netlink_monitor.h"

#include <libmnl/libmnl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "common/error.h"

namespace pathwhy {
namespace {

// A burst of announcements (Docker creating a network, a SYN flood through conntrack) must fit
// while the reader is busy elsewhere; as root the limit is ours to set (SO_RCVBUFFORCE).
constexpr int kReceiveBuffer = 4 << 20;

}  // namespace

NetlinkMonitor::NetlinkMonitor(int bus, const std::vector<unsigned>& groups,
                               const std::string& what)
    : what_(what), buffer_(MNL_SOCKET_BUFFER_SIZE * 4) {
    const auto fail = [&](int err) {
        if (socket_) mnl_socket_close(socket_);
        if (wake_fd_ >= 0) close(wake_fd_);
        throw Error(what_, errno_text(err),
                    err == EPERM || err == EACCES ? "run as root or grant CAP_NET_ADMIN" : "");
    };
    socket_ = mnl_socket_open2(bus, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (!socket_) fail(errno);
    if (mnl_socket_bind(socket_, 0, MNL_SOCKET_AUTOPID) < 0) fail(errno);
    const int fd = mnl_socket_get_fd(socket_);
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &kReceiveBuffer, sizeof kReceiveBuffer) != 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &kReceiveBuffer, sizeof kReceiveBuffer);
    for (unsigned group : groups)
        if (mnl_socket_setsockopt(socket_, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) < 0)
            fail(errno);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd_ < 0) fail(errno);
}

NetlinkMonitor::~NetlinkMonitor() {
    mnl_socket_close(socket_);
    close(wake_fd_);
}

void NetlinkMonitor::wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto written = write(wake_fd_, &one, sizeof one);
}

NetlinkMonitor::Result NetlinkMonitor::poll(
    std::chrono::milliseconds timeout, const std::function<void(const nlmsghdr&)>& on_message) {
    pollfd fds[2] = {{mnl_socket_get_fd(socket_), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    if (::poll(fds, 2, static_cast<int>(timeout.count())) < 0 && errno != EINTR)
        throw Error(what_, errno_text(errno));
    if (fds[1].revents & POLLIN) {
        std::uint64_t count = 0;
        [[maybe_unused]] auto read_back = read(wake_fd_, &count, sizeof count);
    }
    Result result = Result::idle;
    for (;;) {
        const ssize_t received = mnl_socket_recvfrom(socket_, buffer_.data(), buffer_.size());
        if (received < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return result;
            if (errno == ENOBUFS) {
                result = Result::overrun;
                continue;  // the socket stays usable: read on
            }
            throw Error(what_, errno_text(errno));
        }
        // Walk the datagram's messages ourselves: announcements carry no sequence number to
        // match, and an NLMSG_ERROR here is not an answer to anything we asked.
        int length = static_cast<int>(received);
        for (auto* message = reinterpret_cast<const nlmsghdr*>(buffer_.data());
             mnl_nlmsg_ok(message, length); message = mnl_nlmsg_next(message, &length)) {
            if (message->nlmsg_type < NLMSG_MIN_TYPE) continue;
            on_message(*message);
        }
        if (result == Result::idle) result = Result::delivered;
    }
}

}  // namespace pathwhy
