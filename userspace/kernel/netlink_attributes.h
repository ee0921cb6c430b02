// Reading one rtnetlink message: its fixed family header and its attributes, indexed by type, with
// typed getters that answer nullopt for an absent or too-short attribute. Every reader (links,
// addresses, routes, rules, neighbours) decodes through this instead of walking attributes itself.
#pragma once

#include <linux/netlink.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/ipv4.h"

namespace pathwhy {

// The family header (ifinfomsg, rtmsg, fib_rule_hdr ...) right after nlmsghdr, or nullptr when
// the message is too short to hold one.
template <typename FamilyHeader>
const FamilyHeader* family_header_of(const nlmsghdr& message) {
    if (message.nlmsg_len < NLMSG_LENGTH(sizeof(FamilyHeader))) return nullptr;
    return static_cast<const FamilyHeader*>(NLMSG_DATA(&message));
}

class NetlinkAttributes {
  public:
    // The attributes following a family header of `header_size` bytes.
    NetlinkAttributes(const nlmsghdr& message, std::size_t header_size);
    // The attributes nested inside `nest` (IFLA_LINKINFO ...).
    static NetlinkAttributes nested(const nlattr& nest);
    // Attributes laid out back to back in a raw payload (those after an rtnexthop).
    static NetlinkAttributes in_payload(const void* payload, std::size_t length);

    const nlattr* find(std::uint16_t type) const;
    bool has(std::uint16_t type) const { return find(type) != nullptr; }
    std::optional<std::uint8_t> u8(std::uint16_t type) const;
    // Integers as they lie in the message. ctnetlink sends network byte order (be16/32/64 below);
    // rtnetlink host order (u32).
    std::optional<std::uint32_t> u32(std::uint16_t type) const;
    std::optional<std::uint16_t> be16(std::uint16_t type) const;
    std::optional<std::uint32_t> be32(std::uint16_t type) const;
    std::optional<std::uint64_t> be64(std::uint16_t type) const;
    std::optional<std::string> string(std::uint16_t type) const;
    // A 4-byte address in network order (RTA_DST, IFA_LOCAL, NDA_DST ...).
    std::optional<Ipv4Address> ipv4(std::uint16_t type) const;
    // A link-layer address as `ip` prints it: "02:42:ac:11:00:02".
    std::optional<std::string> hardware_address(std::uint16_t type) const;

  private:
    NetlinkAttributes() = default;
    static int remember(const nlattr* attribute, void* data);

    std::vector<const nlattr*> by_type_;
};

}  // namespace pathwhy
