// What the kernel of one network namespace says about its IPv4 forwarding state: links,
// addresses, routes of every table, policy rules and neighbours. Filled by kernel/ over rtnetlink,
// by tests from fixtures; read by the explainer. Numbers keep their rtnetlink meaning.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/ipv4.h"

namespace pathwhy {

inline constexpr std::uint32_t kTableLocal = 255;
inline constexpr std::uint32_t kTableMain = 254;
inline constexpr std::uint32_t kTableDefault = 253;

struct Link {
    int ifindex = 0;
    std::string name;
    std::string kind;  // IFLA_INFO_KIND: "bridge", "veth", "vxlan", ... empty for physical/loopback
    int master_ifindex = 0;  // bridge or VRF the link is enslaved to, 0 if none
    bool admin_up = false;   // IFF_UP
    bool carrier = false;    // IFF_LOWER_UP: a bridge without ports has none ("linkdown" routes)
    std::string operstate;   // "up", "down", "unknown", ...
    std::uint32_t mtu = 0;
    std::string mac;
};

struct Address {
    int ifindex = 0;
    Ipv4Cidr cidr;  // keeps host bits: 172.31.0.1/16
    std::string label;
    std::uint8_t scope = 0;
};

// rtnetlink route types (RTN_*) that matter to a lookup.
enum class RouteType { unicast, local, broadcast, multicast, anycast, unreachable, blackhole, prohibit, throw_, nat, other };

struct Nexthop {
    std::optional<Ipv4Address> gateway;
    int ifindex = 0;
    int weight = 1;
    bool linkdown = false;  // RTNH_F_LINKDOWN on this leg of a multipath route
};

struct Route {
    std::uint32_t table = kTableMain;
    Ipv4Cidr destination;  // network form, e.g. 172.31.0.0/16; 0.0.0.0/0 for default
    RouteType type = RouteType::unicast;
    std::uint8_t protocol = 0;  // RTPROT_*: 2 kernel, 3 boot, 4 static, 16 dhcp ...
    std::uint8_t scope = 0;     // RT_SCOPE_*: 0 universe, 253 link, 254 host
    std::uint8_t tos = 0;
    std::uint32_t metric = 0;   // RTA_PRIORITY
    std::optional<Ipv4Address> gateway;
    int oif = 0;
    std::optional<Ipv4Address> prefsrc;
    bool linkdown = false;       // RTNH_F_LINKDOWN on the nexthop (multipath: on every leg)
    std::vector<Nexthop> multipath;  // RTA_MULTIPATH; empty for single-nexthop routes
};

enum class RuleAction { to_table, goto_rule, nop, blackhole, unreachable, prohibit, other };

struct Rule {
    std::uint32_t priority = 0;
    RuleAction action = RuleAction::to_table;
    std::uint32_t table = 0;
    bool invert = false;                 // "not"
    std::optional<Ipv4Cidr> source;      // "from"; nullopt = all
    std::optional<Ipv4Cidr> destination; // "to"; nullopt = all
    std::uint32_t fwmark = 0, fwmask = 0;
    std::string iif, oif;                // interface names; "lo" for locally generated traffic
    std::uint8_t tos = 0;
    std::optional<std::uint32_t> suppress_prefixlength;  // FRA_SUPPRESS_PREFIXLEN when set
    std::optional<std::uint8_t> ip_proto;
    std::uint32_t goto_target = 0;
};

struct Neighbour {
    int ifindex = 0;
    Ipv4Address address;
    std::string lladdr;
    std::uint16_t state = 0;  // NUD_* bits
};

struct KernelState {
    std::uint64_t netns_inode = 0;
    std::vector<Link> links;
    std::vector<Address> addresses;
    std::vector<Route> routes;  // every table, local and main included
    std::vector<Rule> rules;
    std::vector<Neighbour> neighbours;

    const Link* link_by_index(int ifindex) const;
    const Link* link_by_name(const std::string& name) const;
    std::string link_name(int ifindex) const;  // "if7" when the index is unknown
};

// The kernel's own answer for one destination, as `ip route get [fibmatch]` gives it.
struct KernelRouteAnswer {
    int error = 0;  // positive errno (ENETUNREACH, EHOSTUNREACH, EACCES ...); 0 when resolved
    RouteType type = RouteType::unicast;
    std::uint32_t table = 0;
    std::optional<Ipv4Cidr> matched_prefix;  // from the RTM_F_FIB_MATCH query
    std::optional<Ipv4Address> gateway;
    int oif = 0;
    std::optional<Ipv4Address> prefsrc;
};

std::string route_type_name(RouteType type);

}  // namespace pathwhy
