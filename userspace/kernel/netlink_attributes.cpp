// libmnl attribute parsing into a by-type table, and the typed getters the readers share.
#include "kernel/netlink_attributes.h"

#include <endian.h>
#include <fmt/format.h>
#include <libmnl/libmnl.h>

#include <cstring>

namespace pathwhy {

NetlinkAttributes::NetlinkAttributes(const nlmsghdr& message, std::size_t header_size) {
    mnl_attr_parse(&message, header_size, remember, this);
}

NetlinkAttributes NetlinkAttributes::nested(const nlattr& nest) {
    NetlinkAttributes attributes;
    mnl_attr_parse_nested(&nest, remember, &attributes);
    return attributes;
}

NetlinkAttributes NetlinkAttributes::in_payload(const void* payload, std::size_t length) {
    NetlinkAttributes attributes;
    mnl_attr_parse_payload(payload, length, remember, &attributes);
    return attributes;
}

// Like the kernel's nla_parse, a repeated attribute keeps its last value.
int NetlinkAttributes::remember(const nlattr* attribute, void* data) {
    auto& table = static_cast<NetlinkAttributes*>(data)->by_type_;
    std::uint16_t type = mnl_attr_get_type(attribute);
    if (type >= table.size()) table.resize(type + 1, nullptr);
    table[type] = attribute;
    return MNL_CB_OK;
}

const nlattr* NetlinkAttributes::find(std::uint16_t type) const {
    return type < by_type_.size() ? by_type_[type] : nullptr;
}

std::optional<std::uint8_t> NetlinkAttributes::u8(std::uint16_t type) const {
    const nlattr* attribute = find(type);
    if (!attribute || mnl_attr_get_payload_len(attribute) < sizeof(std::uint8_t))
        return std::nullopt;
    return mnl_attr_get_u8(attribute);
}

std::optional<std::uint32_t> NetlinkAttributes::u32(std::uint16_t type) const {
    const nlattr* attribute = find(type);
    if (!attribute || mnl_attr_get_payload_len(attribute) < sizeof(std::uint32_t))
        return std::nullopt;
    return mnl_attr_get_u32(attribute);
}

std::optional<std::uint16_t> NetlinkAttributes::be16(std::uint16_t type) const {
    const nlattr* attribute = find(type);
    if (!attribute || mnl_attr_get_payload_len(attribute) < sizeof(std::uint16_t))
        return std::nullopt;
    return be16toh(mnl_attr_get_u16(attribute));
}

std::optional<std::uint32_t> NetlinkAttributes::be32(std::uint16_t type) const {
    auto raw = u32(type);
    if (!raw) return std::nullopt;
    return be32toh(*raw);
}

std::optional<std::uint64_t> NetlinkAttributes::be64(std::uint16_t type) const {
    const nlattr* attribute = find(type);
    if (!attribute || mnl_attr_get_payload_len(attribute) < sizeof(std::uint64_t))
        return std::nullopt;
    return be64toh(mnl_attr_get_u64(attribute));
}

std::optional<std::string> NetlinkAttributes::string(std::uint16_t type) const {
    const nlattr* attribute = find(type);
    if (!attribute) return std::nullopt;
    // NLA_STRING payloads usually end in NUL, but the kernel does not promise it.
    const char* text = static_cast<const char*>(mnl_attr_get_payload(attribute));
    return std::string(text, strnlen(text, mnl_attr_get_payload_len(attribute)));
}

std::optional<Ipv4Address> NetlinkAttributes::ipv4(std::uint16_t type) const {
    auto network_order = u32(type);
    if (!network_order) return std::nullopt;
    return Ipv4Address::from_network_order(*network_order);
}

std::optional<std::string> NetlinkAttributes::hardware_address(std::uint16_t type) const {
    const nlattr* attribute = find(type);
    if (!attribute) return std::nullopt;
    const auto* bytes = static_cast<const std::uint8_t*>(mnl_attr_get_payload(attribute));
    std::string text;
    for (std::uint16_t i = 0; i < mnl_attr_get_payload_len(attribute); ++i)
        text += fmt::format("{}{:02x}", i ? ":" : "", bytes[i]);
    return text;
}

}  // namespace pathwhy
