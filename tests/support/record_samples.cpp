#include "support/record_samples.h"

#include "support/seed_fixture.h"

namespace pathwhy::test {
namespace {

constexpr std::int64_t kStart = 1667379060LL * 1'000'000'000;

Ipv4Address ip(const char* text) { return *Ipv4Address::parse(text); }
Ipv4Cidr cidr(const char* text) { return *Ipv4Cidr::parse(text); }

FlowTuple flow() { return {ip("172.31.151.55"), ip("172.18.2.172"), 6, 40312, 8080}; }

ConntrackView conntrack_view() {
    return {2, flow(), {ip("172.18.2.172"), ip("172.31.151.55"), 6, 8080, 40312}, 0x8a, 7};
}

SessionInfo session() {
    SessionInfo s;
    s.pathwhy_version = "0.1.0";
    s.hostname = "ci-runner-7";
    s.netns = "pw1h0";
    s.docker_endpoint = "unix:///tmp/d.sock";
    s.watched = {cidr("172.31.0.0/16"), cidr("10.8.0.0/24")};
    s.started_unix_ns = kStart;
    s.monotonic_to_unix_ns = kStart - 5'000'000'000;
    s.file_index = 2;
    s.views = {{KernelView::route_lookups, true, "tp_btf/fib_table_lookup", "", ""},
               {KernelView::netfilter_verdicts, false, "", "no netfilter links", "no verdicts"}};
    s.sources = {{"docker events", true, "unix:///tmp/d.sock"},
                 {"conntrack events", false, "module not loaded"}};
    return s;
}

ObservedEvent route_lookup() {
    ObservedEvent e;
    e.kind = ObservedEvent::Kind::route_lookup;
    e.timestamp_ns = 5'000'000'123;
    e.netns_inode = 4026532000;
    e.packet_id = 77;
    e.packet = flow();
    e.in_ifindex = 1;
    e.out_ifindex = 9;
    e.mark = 3;
    e.table = 254;
    e.lookup_error = -101;
    e.gateway = ip("172.18.2.129");
    e.nexthop_ifindex = 9;
    return e;
}

ObservedEvent netfilter() {
    ObservedEvent e = route_lookup();
    e.kind = ObservedEvent::Kind::netfilter;
    e.table = 0;
    e.lookup_error = 0;
    e.gateway.reset();
    e.nexthop_ifindex = 0;
    e.hook = NetfilterHook::forward;
    e.edge = HookEdge::exit;
    e.priority = 2147483646;
    e.conntrack = conntrack_view();
    return e;
}

ObservedEvent drop() {
    ObservedEvent e;
    e.kind = ObservedEvent::Kind::drop;
    e.timestamp_ns = 6'000'000'000;
    e.packet = flow();
    e.drop_reason = 77;
    e.drop_reason_name = "NEIGH_FAILED";
    e.drop_location = "neigh_invalidate+0x8c";
    return e;
}

ObservedEvent icmp_error() {
    ObservedEvent e;
    e.kind = ObservedEvent::Kind::icmp_error;
    e.timestamp_ns = 6'000'000'001;
    e.packet = flow();
    e.icmp_type = 3;
    e.icmp_code = 1;
    return e;
}

ObservedEvent neighbour() {
    ObservedEvent e;
    e.kind = ObservedEvent::Kind::neighbour;
    e.timestamp_ns = 6'000'000'002;
    e.out_ifindex = 9;
    e.neighbour = ip("172.31.151.55");
    e.old_state = 0x01;
    e.new_state = 0x20;
    return e;
}

DockerEvent network_created(const Snapshot& snapshot) {
    DockerEvent e;
    e.time_unix_ns = kStart + 1;
    e.type = "network";
    e.action = "create";
    e.network = snapshot.docker.networks.back();
    e.actor_id = e.network->id;
    e.attributes = {{"name", e.network->name}, {"type", "bridge"}};
    return e;
}

KernelChange route_added() {
    Route route;
    route.destination = cidr("172.31.0.0/16");
    route.protocol = 2;
    route.scope = 253;
    route.oif = 9;
    route.prefsrc = ip("172.31.0.1");
    route.linkdown = true;
    route.metric = 5;
    route.multipath = {{ip("10.0.0.1"), 3, 2, true}};
    return {KernelChange::Action::updated, route};
}

KernelChange rule_removed() {
    Rule rule;
    rule.priority = 100;
    rule.action = RuleAction::goto_rule;
    rule.table = 7;
    rule.invert = true;
    rule.source = cidr("10.0.0.0/8");
    rule.destination = cidr("172.31.0.0/16");
    rule.fwmark = 1;
    rule.fwmask = 0xff;
    rule.iif = "lo";
    rule.oif = "eth0";
    rule.tos = 4;
    rule.suppress_prefixlength = 0;
    rule.ip_proto = 6;
    rule.goto_target = 200;
    return {KernelChange::Action::removed, rule};
}

KernelChange address_added() {
    return {KernelChange::Action::updated, Address{9, cidr("172.31.0.1/16"), "br-x", 0}};
}

KernelChange link_added() {
    return {KernelChange::Action::updated,
            Link{9, "br-e8395baf4d8b", "bridge", 0, true, false, "down", 1500, "02:42:0a:0b:0c:0d"}};
}

KernelChange neighbour_failed() {
    return {KernelChange::Action::updated, Neighbour{9, ip("172.31.151.55"), "", 0x20}};
}

ConntrackEntry conntrack_entry() {
    ConntrackEntry entry;
    entry.id = 123456;
    entry.original = flow();
    entry.reply = conntrack_view().reply;
    entry.status = 0x1a;
    entry.tcp_state = 2;
    entry.timeout_seconds = 58;
    entry.mark = 9;
    entry.zone = 3;
    entry.counters_original = ConntrackCounters{3, 180};
    entry.counters_reply = ConntrackCounters{1, 60};
    entry.started_unix_ns = kStart - 7;
    return entry;
}

ConntrackEvent conntrack() { return {ConntrackEvent::Type::destroyed, conntrack_entry()}; }

Ruleset ruleset() {
    FirewallRule rule;
    rule.chain = "FORWARD";
    rule.text = "-A FORWARD ! -i br-1 -o br-1 -p tcp -m conntrack --ctstate NEW --dport 80:90 -j DROP";
    rule.in_interface = InterfaceMatch{"br-1", true};
    rule.out_interface = InterfaceMatch{"br+", false};
    rule.source = AddressMatch{cidr("10.0.0.0/8"), true};
    rule.destination = AddressMatch{cidr("172.31.0.0/16"), false};
    rule.protocol = "tcp";
    rule.protocol_negated = true;
    rule.ct_states = {"NEW", "INVALID"};
    rule.ct_states_negated = true;
    rule.destination_ports = {{80, 90}};
    rule.unevaluated = {"addrtype"};
    rule.target = "DOCKER";
    rule.is_goto = true;
    FirewallChain chain{"FORWARD", "DROP", NetfilterHook::forward, 0, {rule}};
    return {"iptables-save", "", {{"filter", {chain, {"DOCKER", "", std::nullopt, 0, {}}}}}};
}

IncidentMark incident() {
    IncidentMark m;
    m.watched = cidr("172.31.0.0/16");
    m.destination = ip("172.31.151.55");
    m.kind = "route-into-docker-bridge";
    m.summary = "172.31.151.55 is routed into Docker bridge br-e8395baf4d8b";
    m.finding_json = R"({"kind":"route-into-docker-bridge"})";
    return m;
}

}  // namespace

std::vector<Record> sample_records() {
    Snapshot snapshot = seed000_snapshot();
    snapshot.netns = "pw1h0";
    snapshot.kernel.netns_inode = 4026532000;
    snapshot.kernel_answers[ip("172.31.151.55")] = {0, RouteType::unicast, 254,
                                                    cidr("172.31.0.0/16"), std::nullopt, 9,
                                                    ip("172.31.0.1")};
    snapshot.docker.daemon_config.present = true;
    snapshot.docker.daemon_config.bip = cidr("172.26.0.1/16");
    snapshot.docker.daemon_config.default_address_pools = {{cidr("10.10.0.0/16"), 24}};
    snapshot.docker.daemon_config.userland_proxy = false;
    DockerContainer app;
    app.id = "c0ffee";
    app.name = "backend-47-app-1";
    app.state = "running";
    app.labels = {{"com.docker.compose.project", "backend-47"}};
    app.networks = {{"backend-47_default", snapshot.docker.networks.back().id, ip("172.31.0.2"), 16}};
    app.ports = {{ip("0.0.0.0"), 8888, 8889, 17}};
    snapshot.docker.containers.push_back(app);
    snapshot.ruleset = ruleset();
    snapshot.conntrack = ConntrackTable{"", {conntrack_entry()}};

    std::vector<RecordBody> bodies{session(),         snapshot,       route_lookup(),
                                   netfilter(),       drop(),         icmp_error(),
                                   neighbour(),       network_created(snapshot),
                                   route_added(),     rule_removed(), address_added(),
                                   link_added(),      neighbour_failed(),
                                   conntrack(),       incident(),
                                   RecordingNote{"lost-events", "12 events lost", 12}};
    std::vector<Record> records;
    for (std::size_t i = 0; i < bodies.size(); ++i)
        records.push_back({kStart + static_cast<std::int64_t>(i) * 1'000'000'000, bodies[i]});
    return records;
}

}  // namespace pathwhy::test
