// The kernel-state layer against the real kernel, in a lab of two network namespaces (a host and
// its peer, joined by veths): the snapshot must show exactly what the lab configured, the
// kernel's route answers must come back whole, and the pure resolver must agree with the kernel
// on every destination. Nothing touches the machine's own namespace, and no packet is sent:
// route queries and dumps only ask.
#include "kernel/kernel_snapshot.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <linux/neighbour.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "explain/route_resolver.h"
#include "kernel/kernel_route_query.h"
#include "kernel/netns.h"
#include "lab/naming.h"
#include "lab/netns.h"
#include "support/privileges.h"

namespace pathwhy {
namespace {

// "route add default via 172.18.2.129" -> {"route", "add", "default", ...}: the lab reads like the
// ip commands it runs; none of its words contains a space.
std::vector<std::string> words(std::string_view command) {
    std::istringstream stream{std::string(command)};
    std::vector<std::string> split;
    for (std::string word; stream >> word;) split.push_back(word);
    return split;
}

// Seed 000's host in miniature, plus every route and rule shape the resolver knows: eth-like
// up0 towards the VPC gateway (peer 172.18.2.129), up1 towards a second gateway (192.168.77.2),
// and a Docker-like bridge whose only port is down, so that its /16 route is "linkdown".
class LabTopology {
  public:
    LabTopology()
        : id_(lab::next_lab_id()),
          host_(lab::namespace_name(id_, lab::kHostRole)),
          peer_(lab::namespace_name(id_, lab::kPeerRole)) {
        lab::connect_veth(host_, "up0", peer_, "peer0");
        lab::connect_veth(host_, "up1", peer_, "peer1");
        for (const char* command :
             {"addr add 172.18.2.129/26 dev peer0", "addr add 192.168.77.2/24 dev peer1"})
            peer_.ip(words(command));
        for (const char* command : {
                 "link set up0 address 02:00:00:00:01:01",
                 "link set up1 mtu 1400",
                 "link add br0 type bridge",
                 "link add brp0 type veth peer name brp0b",
                 "link set brp0 master br0",
                 "link set br0 up",
                 "addr add 172.18.2.172/26 dev up0",
                 "addr add 192.168.77.1/24 dev up1",
                 "addr add 172.31.0.1/16 dev br0",
                 "route add default via 172.18.2.129",
                 "route add 172.31.151.0/26 via 192.168.77.2",
                 "route add 10.40.0.0/16 via 172.18.2.129 metric 100",
                 "route add 10.40.0.0/16 via 192.168.77.2 metric 50",
                 "route add 10.41.0.0/16 via 172.18.2.129",
                 "route add 10.41.0.0/16 tos 0x10 via 192.168.77.2",
                 "route add 10.60.0.0/16 nexthop via 172.18.2.129 dev up0 weight 1"
                 " nexthop via 192.168.77.2 dev up1 weight 3",
                 "route add unreachable 10.99.0.0/16",
                 "route add blackhole 10.98.0.0/16",
                 "route add prohibit 10.97.0.0/16",
                 "route add default via 192.168.77.2 table 100",
                 "route add throw 10.80.0.0/16 table 100",
                 "route add 10.70.0.0/24 via 172.18.2.129 table 100 metric 50",
                 "route add 10.90.0.0/16 via 172.18.2.129 table 1000",
                 "route add default via 192.168.77.2 table 51820",
                 "rule add fwmark 0x2a/0xff lookup 100 pref 100",
                 "rule add iif up0 lookup 100 pref 150",
                 "rule add from 172.18.2.160/27 lookup 1000 pref 200",
                 "rule add to 10.201.0.0/16 unreachable pref 250",
                 "rule add to 10.202.0.0/16 goto 400 pref 270",
                 "rule add to 10.202.0.0/16 prohibit pref 280",
                 "rule add ipproto udp lookup 1000 pref 300",
                 "rule add to 10.202.0.0/16 lookup 100 pref 400",
                 // wg-quick's pair: main without its default, then a tunnel for unmarked packets.
                 "rule add lookup main suppress_prefixlength 0 pref 32764",
                 "rule add not fwmark 51820 lookup 51820 pref 32765",
                 "neigh add 172.18.2.140 lladdr 02:00:00:00:00:8c dev up0 nud permanent",
             })
            host_.ip(words(command));
        // Input lookups (iif up0) answer EHOSTUNREACH unless the host forwards.
        run_checked(host_.exec_argv({"sysctl", "-qw", "net.ipv4.ip_forward=1"}));
    }

    const lab::LabNamespace& host() const { return host_; }

  private:
    lab::LabId id_;
    lab::LabNamespace host_;
    lab::LabNamespace peer_;
};

// Route and rule as one line each, close to `ip route`/`ip rule`, so that the expectations below
// can be read against the lab's commands.
std::string render(const KernelState& state, const Route& route) {
    std::string text = fmt::format("table {} {} {}", route.table, route_type_name(route.type),
                                   route.destination.str());
    if (route.tos) text += fmt::format(" tos {:#x}", route.tos);
    if (route.gateway) text += " via " + route.gateway->str();
    if (route.oif) text += " dev " + state.link_name(route.oif);
    text += fmt::format(" proto {} scope {}", route.protocol, route.scope);
    if (route.metric) text += fmt::format(" metric {}", route.metric);
    if (route.prefsrc) text += " src " + route.prefsrc->str();
    if (route.linkdown) text += " linkdown";
    for (const Nexthop& hop : route.multipath)
        text += fmt::format(" nexthop via {} dev {} weight {}{}",
                            hop.gateway ? hop.gateway->str() : "-", state.link_name(hop.ifindex),
                            hop.weight, hop.linkdown ? " linkdown" : "");
    return text;
}

std::string render(const Rule& rule) {
    static const char* const kActions[] = {"lookup",      "goto",     "nop",  "blackhole",
                                           "unreachable", "prohibit", "other"};
    std::string text = fmt::format("{}:", rule.priority);
    if (rule.invert) text += " not";
    if (rule.source) text += " from " + rule.source->str();
    if (rule.destination) text += " to " + rule.destination->str();
    if (rule.fwmark || rule.fwmask)
        text += fmt::format(" fwmark {:#x}/{:#x}", rule.fwmark, rule.fwmask);
    if (!rule.iif.empty()) text += " iif " + rule.iif;
    if (!rule.oif.empty()) text += " oif " + rule.oif;
    if (rule.tos) text += fmt::format(" tos {:#x}", rule.tos);
    if (rule.ip_proto) text += fmt::format(" ipproto {}", *rule.ip_proto);
    text += fmt::format(" {} table {}", kActions[static_cast<int>(rule.action)], rule.table);
    if (rule.suppress_prefixlength)
        text += fmt::format(" suppress {}", *rule.suppress_prefixlength);
    if (rule.goto_target) text += fmt::format(" goto {}", rule.goto_target);
    return text;
}

// Dump order is the kernel's business; the tests compare contents.
std::vector<std::string> sorted(std::vector<std::string> lines) {
    std::sort(lines.begin(), lines.end());
    return lines;
}

const Link& named_link(const KernelState& state, const std::string& name) {
    const Link* link = state.link_by_name(name);
    if (!link) throw std::runtime_error("no link " + name + " in the snapshot");
    return *link;
}

class KernelLab : public ::testing::Test {
  protected:
    void SetUp() override {
        PATHWHY_REQUIRE_ROOT();
        lab_.emplace();
    }

    const std::string& host_name() const { return lab_->host().name(); }

    KernelState read_host() {
        NetnsScope inside(host_name());
        return read_kernel_state();
    }

    std::optional<LabTopology> lab_;
};

TEST_F(KernelLab, SnapshotSeesEveryLinkAsConfigured) {
    KernelState state = read_host();

    const Link& lo = named_link(state, "lo");
    EXPECT_EQ(lo.kind, "");
    EXPECT_TRUE(lo.admin_up && lo.carrier);
    EXPECT_EQ(lo.mtu, 65536u);
    EXPECT_EQ(lo.mac, "00:00:00:00:00:00");

    const Link& up0 = named_link(state, "up0");
    EXPECT_EQ(up0.kind, "veth");
    EXPECT_TRUE(up0.admin_up);
    EXPECT_TRUE(up0.carrier);
    EXPECT_EQ(up0.operstate, "up");
    EXPECT_EQ(up0.mtu, 1500u);
    EXPECT_EQ(up0.mac, "02:00:00:00:01:01");
    EXPECT_EQ(up0.master_ifindex, 0);

    EXPECT_EQ(named_link(state, "up1").mtu, 1400u);

    const Link& bridge = named_link(state, "br0");
    EXPECT_EQ(bridge.kind, "bridge");
    EXPECT_TRUE(bridge.admin_up);
    EXPECT_FALSE(bridge.carrier);  // its only port is down
    EXPECT_EQ(bridge.operstate, "down");

    const Link& port = named_link(state, "brp0");
    EXPECT_EQ(port.kind, "veth");
    EXPECT_EQ(port.master_ifindex, bridge.ifindex);
    EXPECT_FALSE(port.admin_up);
    EXPECT_EQ(named_link(state, "brp0b").master_ifindex, 0);
    EXPECT_NE(up0.ifindex, bridge.ifindex);
}

TEST_F(KernelLab, SnapshotSeesAddressesNeighboursAndItsNamespace) {
    KernelState state = read_host();

    std::vector<std::string> addresses;
    for (const Address& address : state.addresses)
        addresses.push_back(fmt::format("{} dev {} scope {} label {}", address.cidr.str(),
                                        state.link_name(address.ifindex), address.scope,
                                        address.label));
    EXPECT_EQ(sorted(addresses), sorted({
                                     "127.0.0.1/8 dev lo scope 254 label lo",
                                     "172.18.2.172/26 dev up0 scope 0 label up0",
                                     "192.168.77.1/24 dev up1 scope 0 label up1",
                                     "172.31.0.1/16 dev br0 scope 0 label br0",
                                 }));

    // Besides the lab's permanent entry, the kernel may add NOARP entries for multicast groups
    // it reports to (224.0.0.22, IGMPv3, on the bridge): those need no resolution.
    std::vector<std::string> resolved;
    for (const Neighbour& neighbour : state.neighbours) {
        if (neighbour.state == NUD_NOARP && (neighbour.address.value >> 28) == 0xe) continue;
        resolved.push_back(fmt::format("{} dev {} lladdr {} state {:#x}", neighbour.address.str(),
                                       state.link_name(neighbour.ifindex), neighbour.lladdr,
                                       neighbour.state));
    }
    EXPECT_EQ(resolved,
              std::vector<std::string>({fmt::format(
                  "172.18.2.140 dev up0 lladdr 02:00:00:00:00:8c state {:#x}", NUD_PERMANENT)}));

    struct stat lab_namespace {};
    ASSERT_EQ(stat(lab_->host().path().c_str(), &lab_namespace), 0);
    EXPECT_EQ(state.netns_inode, lab_namespace.st_ino);
}

TEST_F(KernelLab, SnapshotSeesEveryRouteOfEveryTable) {
    KernelState state = read_host();
    std::vector<std::string> routes;
    for (const Route& route : state.routes) routes.push_back(render(state, route));
    // proto 2 kernel, 3 boot (ip route add's default); scope 0 universe, 253 link, 254 host.
    EXPECT_EQ(
        sorted(routes),
        sorted({
            "table 254 unicast 0.0.0.0/0 via 172.18.2.129 dev up0 proto 3 scope 0",
            "table 254 unicast 172.18.2.128/26 dev up0 proto 2 scope 253 src 172.18.2.172",
            "table 254 unicast 192.168.77.0/24 dev up1 proto 2 scope 253 src 192.168.77.1",
            "table 254 unicast 172.31.0.0/16 dev br0 proto 2 scope 253 src 172.31.0.1 linkdown",
            "table 254 unicast 172.31.151.0/26 via 192.168.77.2 dev up1 proto 3 scope 0",
            "table 254 unicast 10.40.0.0/16 via 172.18.2.129 dev up0 proto 3 scope 0 metric 100",
            "table 254 unicast 10.40.0.0/16 via 192.168.77.2 dev up1 proto 3 scope 0 metric 50",
            "table 254 unicast 10.41.0.0/16 via 172.18.2.129 dev up0 proto 3 scope 0",
            "table 254 unicast 10.41.0.0/16 tos 0x10 via 192.168.77.2 dev up1 proto 3 scope 0",
            "table 254 unicast 10.60.0.0/16 proto 3 scope 0"
            " nexthop via 172.18.2.129 dev up0 weight 1 nexthop via 192.168.77.2 dev up1 weight 3",
            "table 254 unreachable 10.99.0.0/16 proto 3 scope 0",
            "table 254 blackhole 10.98.0.0/16 proto 3 scope 0",
            "table 254 prohibit 10.97.0.0/16 proto 3 scope 0",
            "table 100 unicast 0.0.0.0/0 via 192.168.77.2 dev up1 proto 3 scope 0",
            "table 100 throw 10.80.0.0/16 proto 3 scope 0",
            "table 100 unicast 10.70.0.0/24 via 172.18.2.129 dev up0 proto 3 scope 0 metric 50",
            "table 1000 unicast 10.90.0.0/16 via 172.18.2.129 dev up0 proto 3 scope 0",
            "table 51820 unicast 0.0.0.0/0 via 192.168.77.2 dev up1 proto 3 scope 0",
            "table 255 local 127.0.0.0/8 dev lo proto 2 scope 254 src 127.0.0.1",
            "table 255 local 127.0.0.1/32 dev lo proto 2 scope 254 src 127.0.0.1",
            "table 255 broadcast 127.255.255.255/32 dev lo proto 2 scope 253 src 127.0.0.1",
            "table 255 local 172.18.2.172/32 dev up0 proto 2 scope 254 src 172.18.2.172",
            "table 255 broadcast 172.18.2.191/32 dev up0 proto 2 scope 253 src 172.18.2.172",
            "table 255 local 192.168.77.1/32 dev up1 proto 2 scope 254 src 192.168.77.1",
            "table 255 broadcast 192.168.77.255/32 dev up1 proto 2 scope 253 src 192.168.77.1",
            "table 255 local 172.31.0.1/32 dev br0 proto 2 scope 254 src 172.31.0.1",
            "table 255 broadcast 172.31.255.255/32 dev br0 proto 2 scope 253 src 172.31.0.1 "
            "linkdown",
        }));
}

TEST_F(KernelLab, SnapshotSeesEveryRuleInPriorityOrder) {
    KernelState state = read_host();
    std::vector<std::string> rules;
    for (const Rule& rule : state.rules) rules.push_back(render(rule));
    EXPECT_EQ(rules, std::vector<std::string>({
                         "0: lookup table 255",
                         "100: fwmark 0x2a/0xff lookup table 100",
                         "150: iif up0 lookup table 100",
                         "200: from 172.18.2.160/27 lookup table 1000",
                         "250: to 10.201.0.0/16 unreachable table 0",
                         "270: to 10.202.0.0/16 goto table 0 goto 400",
                         "280: to 10.202.0.0/16 prohibit table 0",
                         "300: ipproto 17 lookup table 1000",
                         "400: to 10.202.0.0/16 lookup table 100",
                         "32764: lookup table 254 suppress 0",
                         "32765: not fwmark 0xca6c/0xffffffff lookup table 51820",
                         "32766: lookup table 254",
                         "32767: lookup table 253",
                     }));
}

TEST_F(KernelLab, KernelAnswersWithTableGatewayDeviceAndMatchedPrefix) {
    NetnsScope inside(host_name());
    KernelState state = read_kernel_state();

    KernelRouteAnswer swallowed = ask_kernel_route(*Ipv4Address::parse("172.31.151.55"));
    EXPECT_EQ(swallowed.error, 0);
    EXPECT_EQ(swallowed.type, RouteType::unicast);
    EXPECT_EQ(swallowed.table, kTableMain);
    EXPECT_EQ(swallowed.matched_prefix, Ipv4Cidr::parse("172.31.151.0/26"));
    EXPECT_EQ(swallowed.gateway, Ipv4Address::parse("192.168.77.2"));
    EXPECT_EQ(state.link_name(swallowed.oif), "up1");
    EXPECT_EQ(swallowed.prefsrc, Ipv4Address::parse("192.168.77.1"));

    KernelRouteAnswer bridged = ask_kernel_route(*Ipv4Address::parse("172.31.9.9"));
    EXPECT_EQ(bridged.matched_prefix, Ipv4Cidr::parse("172.31.0.0/16"));
    EXPECT_FALSE(bridged.gateway);
    EXPECT_EQ(state.link_name(bridged.oif), "br0");

    RouteFlow from_lan;
    from_lan.destination = *Ipv4Address::parse("10.90.1.1");
    from_lan.source = Ipv4Address::parse("172.18.2.172");
    KernelRouteAnswer big_table = ask_kernel_route(from_lan);
    EXPECT_EQ(big_table.table, 1000u);  // only RTA_TABLE can say so
    EXPECT_EQ(big_table.matched_prefix, Ipv4Cidr::parse("10.90.0.0/16"));
}

TEST_F(KernelLab, KernelAnswersFailuresWithTheirErrno) {
    NetnsScope inside(host_name());
    struct Expected {
        const char* destination;
        int error;
        RouteType type;
    };
    for (const Expected& expected : {Expected{"10.99.1.1", EHOSTUNREACH, RouteType::unreachable},
                                     Expected{"10.98.1.1", EINVAL, RouteType::blackhole},
                                     Expected{"10.97.1.1", EACCES, RouteType::prohibit},
                                     Expected{"10.201.1.1", ENETUNREACH, RouteType::other}}) {
        KernelRouteAnswer answer = ask_kernel_route(*Ipv4Address::parse(expected.destination));
        EXPECT_EQ(answer.error, expected.error) << expected.destination;
        EXPECT_EQ(answer.type, expected.type) << expected.destination;
        EXPECT_FALSE(answer.matched_prefix) << expected.destination;
    }
}

// One question for both: the flows below cover every rule and route shape of the lab.
struct CrossCheck {
    const char* why;
    const char* destination;
    std::uint32_t fwmark = 0;
    const char* source = nullptr;
    const char* iif = "lo";
    const char* oif = "";
    std::uint8_t tos = 0;
    std::uint8_t ip_proto = 0;
};

TEST_F(KernelLab, ResolverAgreesWithTheKernel) {
    NetnsScope inside(host_name());
    KernelState state = read_kernel_state();
    const CrossCheck checks[] = {
        {"/26 beats /16 and default", "172.31.151.55"},
        {"linkdown bridge /16", "172.31.9.9"},
        {"main default suppressed, tunnel table", "8.8.8.8"},
        {"wireguard's own mark reaches main", "8.8.8.8", 51820},
        {"lowest metric", "10.40.1.1"},
        {"tos-less route for tos 0", "10.41.1.1"},
        {"route tos", "10.41.1.1", 0, nullptr, "lo", "", 0x10},
        {"multipath", "10.60.0.1"},
        {"unreachable route", "10.99.1.1"},
        {"blackhole route", "10.98.1.1"},
        {"prohibit route", "10.97.1.1"},
        {"throw in table 100", "10.80.1.1", 0x2a},
        {"fwmark under mask", "10.70.0.5", 0x12a},
        {"from selector, table > 255", "10.90.1.1", 0, "172.18.2.172"},
        {"unreachable rule", "10.201.1.1"},
        {"goto skips prohibit", "10.202.1.1"},
        {"ipproto rule", "10.90.1.1", 0, nullptr, "lo", "", 0, 17},
        {"local table", "172.18.2.172"},
        {"forwarded from up0", "10.70.0.5", 0, "172.18.2.129", "up0"},
        {"bound device skips other devices", "10.50.0.1", 0, nullptr, "lo", "up0"},
        {"bound device assumes on-link", "10.99.1.1", 0, nullptr, "lo", "up0"},
    };
    for (const CrossCheck& check : checks) {
        SCOPED_TRACE(fmt::format("{} ({})", check.why, check.destination));
        RouteFlow flow;
        flow.destination = *Ipv4Address::parse(check.destination);
        if (check.source) flow.source = Ipv4Address::parse(check.source);
        flow.fwmark = check.fwmark;
        flow.iif = check.iif;
        flow.oif = check.oif;
        flow.tos = check.tos;
        flow.ip_proto = check.ip_proto;

        KernelRouteAnswer kernel = ask_kernel_route(flow);
        RouteResolution ours = resolve_route(state, flow);
        ASSERT_EQ(ours.error, kernel.error);
        if (kernel.error) continue;
        if (ours.assumed_on_link) {
            // The kernel made the route up; no table entry matched.
            EXPECT_FALSE(kernel.matched_prefix);
            EXPECT_EQ(state.link_name(kernel.oif), flow.oif);
            continue;
        }
        ASSERT_TRUE(ours.route);
        EXPECT_EQ(ours.table, kernel.table);
        EXPECT_EQ(ours.route->destination, kernel.matched_prefix);
        EXPECT_EQ(ours.route->type, kernel.type);
        if (ours.route->type == RouteType::local) {
            EXPECT_EQ(state.link_name(kernel.oif), "lo");  // delivered locally, through lo
        } else if (ours.route->multipath.empty()) {
            EXPECT_EQ(ours.route->oif, kernel.oif);
            EXPECT_EQ(ours.route->gateway, kernel.gateway);
        } else {
            // The kernel hashes the flow onto one leg; any leg is right.
            EXPECT_TRUE(std::any_of(ours.route->multipath.begin(), ours.route->multipath.end(),
                                    [&](const Nexthop& hop) {
                                        return hop.ifindex == kernel.oif &&
                                               hop.gateway == kernel.gateway;
                                    }));
        }
    }
}

TEST_F(KernelLab, NetnsScopeEntersByNameAndByPathAndComesBack) {
    std::uint64_t outside = current_netns_inode();
    struct stat lab_namespace {};
    ASSERT_EQ(stat(lab_->host().path().c_str(), &lab_namespace), 0);
    {
        NetnsScope by_name(host_name());
        EXPECT_EQ(current_netns_inode(), lab_namespace.st_ino);
    }
    EXPECT_EQ(current_netns_inode(), outside);
    {
        NetnsScope by_path(lab_->host().path());
        EXPECT_EQ(current_netns_inode(), lab_namespace.st_ino);
    }
    EXPECT_EQ(current_netns_inode(), outside);
}

TEST_F(KernelLab, TeardownRemovesTheLabNamespaces) {
    std::string host = host_name();
    lab_.reset();
    std::vector<std::string> remaining = lab::list_namespaces();
    EXPECT_EQ(std::find(remaining.begin(), remaining.end(), host), remaining.end());
    EXPECT_THROW(NetnsScope{host}, Error);
}

}  // namespace
}  // namespace pathwhy
