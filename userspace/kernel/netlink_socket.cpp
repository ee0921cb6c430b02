// The libmnl plumbing behind NetlinkSocket: open/bind, sequence numbers, the receive loop, and
// the one place where netlink failures turn into pathwhy::Error.
#include "kernel/netlink_socket.h"

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include <cerrno>
#include <cstring>
#include <exception>

#include "common/error.h"

namespace pathwhy {
namespace {

// Dump replies come in datagrams of up to 32 KiB (the kernel sizes them to our receive buffer,
// capped there); twice that leaves room for a single oversized object such as a link with many
// attributes, which the kernel may send alone in a larger datagram.
constexpr std::size_t kReceiveBufferSize = 64 * 1024;

std::string permission_hint(int err) {
    return err == EPERM || err == EACCES ? "run as root or grant CAP_NET_ADMIN" : "";
}

[[noreturn]] void fail(std::string_view what, int err) {
    throw Error(std::string(what), errno_text(err), permission_hint(err));
}

// What libmnl's C callback needs to reach the C++ handler. Exceptions must not unwind through
// libmnl's C frames, so the handler's exception is parked here and rethrown after mnl_cb_run.
struct CallbackContext {
    explicit CallbackContext(const NetlinkSocket::MessageHandler& handler) : handler(handler) {}

    const NetlinkSocket::MessageHandler& handler;
    bool interrupted = false;
    std::exception_ptr failure;
};

int run_handler(const nlmsghdr* message, void* data) {
    auto* context = static_cast<CallbackContext*>(data);
    if (message->nlmsg_flags & NLM_F_DUMP_INTR) context->interrupted = true;
    try {
        context->handler(*message);
    } catch (...) {
        context->failure = std::current_exception();
        return MNL_CB_ERROR;
    }
    return MNL_CB_OK;
}

}  // namespace

NetlinkSocket::NetlinkSocket(int bus) : buffer_(kReceiveBufferSize) {
    socket_ = mnl_socket_open(bus);
    if (!socket_) fail("open a netlink socket", errno);
    if (mnl_socket_bind(socket_, 0, MNL_SOCKET_AUTOPID) < 0) {
        int err = errno;
        mnl_socket_close(socket_);
        fail("bind a netlink socket", err);
    }
    port_id_ = mnl_socket_get_portid(socket_);
}

NetlinkSocket::~NetlinkSocket() { mnl_socket_close(socket_); }

bool NetlinkSocket::dump(std::uint16_t type, const void* family_header, std::size_t header_size,
                         const MessageHandler& on_message, std::string_view what) {
    std::vector<char> request(MNL_NLMSG_HDRLEN + MNL_ALIGN(header_size));
    nlmsghdr* message = mnl_nlmsg_put_header(request.data());
    message->nlmsg_type = type;
    message->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    std::memcpy(mnl_nlmsg_put_extra_header(message, header_size), family_header, header_size);

    Reply reply = receive(send(*message, what), /*until_done=*/true, on_message, what);
    if (reply.error) fail(what, reply.error);
    return !reply.interrupted;
}

int NetlinkSocket::request(nlmsghdr& request, const MessageHandler& on_message,
                           std::string_view what) {
    return receive(send(request, what), /*until_done=*/false, on_message, what).error;
}

std::uint32_t NetlinkSocket::send(nlmsghdr& message, std::string_view what) {
    message.nlmsg_seq = next_sequence_++;
    if (mnl_socket_sendto(socket_, &message, message.nlmsg_len) < 0) fail(what, errno);
    return message.nlmsg_seq;
}

NetlinkSocket::Reply NetlinkSocket::receive(std::uint32_t sequence, bool until_done,
                                            const MessageHandler& on_message,
                                            std::string_view what) {
    CallbackContext context(on_message);
    for (;;) {
        ssize_t received = mnl_socket_recvfrom(socket_, buffer_.data(), buffer_.size());
        if (received < 0) fail(what, errno);
        int status =
            mnl_cb_run(buffer_.data(), received, sequence, port_id_, run_handler, &context);
        if (context.failure) std::rethrow_exception(context.failure);
        // libmnl reports an NLMSG_ERROR as -1 with the kernel's errno.
        if (status == MNL_CB_ERROR) return {errno, context.interrupted};
        if (status == MNL_CB_STOP || !until_done) return {0, context.interrupted};
    }
}

}  // namespace pathwhy
