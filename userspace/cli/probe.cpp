// Sockets are non-blocking; outcome() polls them with a zero timeout. ICMP uses a ping socket
// (SOCK_DGRAM, IPPROTO_ICMP) where net.ipv4.ping_group_range allows it — it is "1 0", off, in a
// fresh namespace, even for root — else a raw socket, which needs CAP_NET_RAW and sees every
// ICMP message of the namespace, so replies and errors are matched by the echo id.
#include "cli/probe.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "explain/event_names.h"
#include "kernel/netns.h"

namespace pathwhy {
namespace {

constexpr std::string_view kPayload = "pathwhy probe\n";

sockaddr_in address_of(Ipv4Address destination, std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = destination.network_order();
    return address;
}

std::uint16_t checksum(const void* data, std::size_t size) {
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < size; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
    if (size % 2) sum += bytes[size - 1] << 8;
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return htons(static_cast<std::uint16_t>(~sum));
}

struct EchoRequest {
    icmphdr header{};
    char payload[kPayload.size()];
};

EchoRequest echo_request(std::uint16_t id) {
    EchoRequest request{};
    request.header.type = ICMP_ECHO;
    request.header.un.echo.id = htons(id);
    request.header.un.echo.sequence = htons(1);
    std::memcpy(request.payload, kPayload.data(), kPayload.size());
    request.header.checksum = checksum(&request, sizeof request);
    return request;
}

bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    return poll(&p, 1, 0) > 0;
}

}  // namespace

Probe::Probe(const ProbeSpec& spec, Ipv4Address destination, const std::string& netns)
    : spec_(spec), destination_(destination) {
    const std::string action = fmt::format("send a {} probe to {}", spec.text(), destination.str());
    {
        std::optional<NetnsScope> inside;
        if (!netns.empty()) inside.emplace(netns);
        switch (spec.protocol) {
            case ProbeSpec::Protocol::tcp:
                fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
                break;
            case ProbeSpec::Protocol::udp:
                fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
                break;
            case ProbeSpec::Protocol::icmp:
                fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
                if (fd_ < 0 && (errno == EACCES || errno == EPERM)) {
                    raw_ = true;
                    fd_ = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
                }
                break;
        }
    }
    if (fd_ < 0)
        throw Error(action, errno_text(errno),
                    raw_ ? "ICMP needs CAP_NET_RAW here: run as root" : "");

    const sockaddr_in to = address_of(destination, spec.port);
    const auto* target = reinterpret_cast<const sockaddr*>(&to);
    int sent = 0;
    if (spec.protocol == ProbeSpec::Protocol::tcp) {
        sent = connect(fd_, target, sizeof to);
        if (sent < 0 && errno == EINPROGRESS) return;
    } else if (raw_) {
        echo_id_ = static_cast<std::uint16_t>(getpid());
        const EchoRequest request = echo_request(echo_id_);
        sent = static_cast<int>(sendto(fd_, &request, sizeof request, 0, target, sizeof to));
    } else {
        // A connected datagram socket is told about ICMP errors for what it sent.
        sent = connect(fd_, target, sizeof to);
        if (sent == 0 && spec.protocol == ProbeSpec::Protocol::icmp) {
            const EchoRequest request = echo_request(0);  // the kernel sets the id
            sent = static_cast<int>(send(fd_, &request, sizeof request, 0));
        } else if (sent == 0) {
            sent = static_cast<int>(send(fd_, kPayload.data(), kPayload.size(), 0));
        }
    }
    // A failure the kernel knows at once (no route at all) is the probe's outcome, not ours.
    // So is EPERM: once the socket exists sending needs no privilege, and EPERM is a netfilter
    // rule dropping the packet on its way out (OUTPUT), which the trace then names.
    if (sent < 0) settled_ = errno_text(errno);
}

Probe::~Probe() {
    if (fd_ >= 0) close(fd_);
}

std::optional<std::string> Probe::outcome() {
    if (settled_) return settled_;
    switch (spec_.protocol) {
        case ProbeSpec::Protocol::tcp:
            settled_ = tcp_outcome();
            break;
        case ProbeSpec::Protocol::udp:
            settled_ = datagram_outcome();
            break;
        case ProbeSpec::Protocol::icmp:
            settled_ = raw_ ? raw_icmp_outcome() : datagram_outcome();
            break;
    }
    return settled_;
}

std::string Probe::no_outcome() const {
    switch (spec_.protocol) {
        case ProbeSpec::Protocol::tcp:
            return "no answer (connect still pending)";
        case ProbeSpec::Protocol::udp:
            return "no answer and no ICMP error";
        case ProbeSpec::Protocol::icmp:
            return "no echo reply and no ICMP error";
    }
    return "no answer";
}

std::optional<std::string> Probe::tcp_outcome() {
    pollfd p{fd_, POLLOUT, 0};
    if (poll(&p, 1, 0) <= 0) return std::nullopt;
    int error = 0;
    socklen_t size = sizeof error;
    getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &size);
    return error ? errno_text(error) : "connected";
}

// UDP and ping sockets: an answer, or the error an ICMP message left on the socket.
std::optional<std::string> Probe::datagram_outcome() {
    char buffer[512];
    const ssize_t n = recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n >= 0)
        return spec_.protocol == ProbeSpec::Protocol::icmp ? "echo reply"
                                                           : fmt::format("answered ({} bytes)", n);
    if (errno == EAGAIN || errno == EINTR) return std::nullopt;
    return errno_text(errno);
}

// Every ICMP message of the namespace arrives here: take the echo reply with our id, or an
// error quoting our echo request.
std::optional<std::string> Probe::raw_icmp_outcome() {
    while (readable(fd_)) {
        std::uint8_t packet[1024];
        const ssize_t n = recv(fd_, packet, sizeof packet, MSG_DONTWAIT);
        if (n < static_cast<ssize_t>(sizeof(iphdr) + sizeof(icmphdr))) continue;
        const auto* ip = reinterpret_cast<const iphdr*>(packet);
        const std::size_t header = ip->ihl * 4u;
        if (static_cast<std::size_t>(n) < header + sizeof(icmphdr)) continue;
        const auto* icmp = reinterpret_cast<const icmphdr*>(packet + header);
        if (icmp->type == ICMP_ECHOREPLY && ntohs(icmp->un.echo.id) == echo_id_ &&
            ip->saddr == destination_.network_order())
            return "echo reply";
        // An error carries the offending packet's IP header and its first 8 bytes.
        const std::size_t quoted = header + sizeof(icmphdr);
        if (static_cast<std::size_t>(n) < quoted + sizeof(iphdr) + sizeof(icmphdr)) continue;
        const auto* inner_ip = reinterpret_cast<const iphdr*>(packet + quoted);
        const std::size_t inner_header = quoted + inner_ip->ihl * 4u;
        if (static_cast<std::size_t>(n) < inner_header + sizeof(icmphdr)) continue;
        const auto* inner = reinterpret_cast<const icmphdr*>(packet + inner_header);
        if (inner_ip->daddr == destination_.network_order() && inner->type == ICMP_ECHO &&
            ntohs(inner->un.echo.id) == echo_id_) {
            const std::string said = icmp_socket_error(icmp->type, icmp->code);
            return said.empty() ? icmp_meaning(icmp->type, icmp->code) : said;
        }
    }
    return std::nullopt;
}

}  // namespace pathwhy
