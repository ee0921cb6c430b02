// A netlink socket (libmnl) bound to the network namespace of the thread that opened it —
// rtnetlink for the state readers, NETLINK_NETFILTER for conntrack — with the two exchanges the
// readers need: a dump (one callback per object) and a single request whose
// NLMSG_ERROR is an answer rather than a failure. Socket failures become pathwhy::Error here, once.
#pragma once

#include <linux/netlink.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

struct mnl_socket;

namespace pathwhy {

class NetlinkSocket {
  public:
    using MessageHandler = std::function<void(const nlmsghdr&)>;

    // Opens `bus` (NETLINK_ROUTE, NETLINK_NETFILTER) in the calling thread's current network
    // namespace; a socket keeps the namespace it was opened in, so open it after entering a
    // NetnsScope.
    explicit NetlinkSocket(int bus = NETLINK_ROUTE);
    ~NetlinkSocket();
    NetlinkSocket(const NetlinkSocket&) = delete;
    NetlinkSocket& operator=(const NetlinkSocket&) = delete;

    // Sends an NLM_F_DUMP request of `type` with `family_header` as its payload and calls
    // `on_message` for every object until NLMSG_DONE. Returns false when the kernel flagged the
    // dump as interrupted (NLM_F_DUMP_INTR: the table changed meanwhile, so it may be
    // inconsistent). Throws pathwhy::Error("<what>", reason) on any failure.
    bool dump(std::uint16_t type, const void* family_header, std::size_t header_size,
              const MessageHandler& on_message, std::string_view what);

    // Sends `request` (built by the caller with libmnl; sequence number filled in here) and
    // calls `on_message` for the reply. Returns 0, or the positive errno the kernel answered
    // with in NLMSG_ERROR. Throws pathwhy::Error("<what>", reason) when the exchange itself fails.
    int request(nlmsghdr& request, const MessageHandler& on_message, std::string_view what);

  private:
    struct Reply {
        int error = 0;             // positive errno from NLMSG_ERROR
        bool interrupted = false;  // some message carried NLM_F_DUMP_INTR
    };

    std::uint32_t send(nlmsghdr& message, std::string_view what);
    Reply receive(std::uint32_t sequence, bool until_done, const MessageHandler& on_message,
                  std::string_view what);

    mnl_socket* socket_ = nullptr;
    std::uint32_t port_id_ = 0;
    std::uint32_t next_sequence_ = 1;
    std::vector<char> buffer_;
};

// Dumps `type` and decodes every message with `decode` (a function from nlmsghdr to
// std::optional<Item>; nullopt skips the message). An interrupted dump is retried a few times, so
// that a snapshot taken while Docker adds networks is consistent; if the kernel keeps changing,
// the last dump is returned as it is, like `ip` does.
template <typename FamilyHeader, typename Decode>
auto dump_objects(NetlinkSocket& socket, std::uint16_t type, const FamilyHeader& family_header,
                  Decode decode, std::string_view what) {
    using Item = typename std::invoke_result_t<Decode, const nlmsghdr&>::value_type;
    constexpr int kAttempts = 4;
    std::vector<Item> items;
    for (int attempt = 1;; ++attempt) {
        items.clear();
        bool consistent = socket.dump(
            type, &family_header, sizeof family_header,
            [&](const nlmsghdr& message) {
                if (std::optional<Item> item = decode(message)) items.push_back(std::move(*item));
            },
            what);
        if (consistent || attempt == kAttempts) return items;
    }
}

}  // namespace pathwhy
