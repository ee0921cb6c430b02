#include "explain/stale_conntrack.h"

#include <fmt/format.h>
#include <netinet/in.h>

#include <map>
#include <tuple>

#include "explain/conntrack_nat.h"
#include "explain/docker_bridges.h"
#include "explain/docker_conntrack_flush.h"
#include "explain/docker_settings.h"
#include "explain/human_age.h"
#include "explain/route_into_bridge.h"
#include "explain/route_resolver.h"
#include "explain/shell_words.h"
#include "model/ip_protocol.h"

namespace pathwhy {

namespace {

// Enough entries to recognise the flows; the JSON carries all of them.
constexpr std::size_t kEntriesShown = 5;

// Entries that send the flow to the same wrong place, and are deleted by the same command.
struct Group {
    Ipv4Address host;  // their original destination
    StaleReading reading;
    std::uint16_t zone = 0;
    std::vector<const ConntrackEntry*> entries;
};

using GroupKey = std::tuple<Ipv4Address, StaleNat, Ipv4Address, std::uint16_t, std::uint16_t>;

std::string plural(std::size_t n, const char* one, const char* many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string port_text(const Group& group) {
    const FlowTuple& first = group.entries.front()->original;
    return fmt::format("{}:{}/{}", group.host.str(), first.destination_port,
                       ip_protocol_name(first.protocol));
}

std::string publisher_text(const PortPublisher& publisher) {
    return fmt::format("container {} ({}:{})", publisher.container->name,
                       publisher.address ? publisher.address->str() : "no address",
                       publisher.binding.container_port);
}

std::string summary(const Group& group) {
    const std::size_t n = group.entries.size();
    const std::string entries = plural(n, "conntrack entry", "conntrack entries");
    const std::string port = port_text(group);
    const StaleReading& r = group.reading;
    const std::string now = r.publisher ? "; the port now leads to " + publisher_text(*r.publisher)
                                        : "; nothing publishes it now";
    const char* dnat = n == 1 ? "DNATs" : "DNAT";
    switch (r.nat) {
        case StaleNat::none:
            return fmt::format(
                "{} for {} {} not DNATed: the flow goes to this host itself, not "
                "to {}",
                entries, port, n == 1 ? "is" : "are", publisher_text(*r.publisher));
        case StaleNat::gone_address:
            return fmt::format("{} for {} still {} to {}:{}, which no running container has{}",
                               entries, port, dnat, r.address.str(), r.port, now);
        case StaleNat::other_container:
            return fmt::format("{} for {} still {} to {}:{}, container {}{}", entries, port, dnat,
                               r.address.str(), r.port, r.owner->name, now);
        case StaleNat::wrong_port:
            return fmt::format(
                "{} for {} {} to container {} on port {}, but Docker publishes it "
                "on port {} now",
                entries, port, dnat, r.owner->name, r.port, r.publisher->binding.container_port);
    }
    return entries;
}

std::optional<std::int64_t> age_seconds(const Snapshot& snapshot, const ConntrackEntry& entry) {
    if (!entry.started_unix_ns) return std::nullopt;
    return snapshot.taken_at_unix - *entry.started_unix_ns / 1'000'000'000;
}

std::string entry_line(const Snapshot& snapshot, const ConntrackEntry& entry) {
    std::string line = "entry: " + describe_conntrack_entry(entry);
    line += fmt::format(" — expires in {} s unless a packet refreshes it", entry.timeout_seconds);
    if (auto age = age_seconds(snapshot, entry)) line += ", created " + human_age(*age);
    if (entry.counters_original)
        line += fmt::format(", {} packets so far", entry.counters_original->packets);
    return line;
}

// The sysctl whose timeout each packet renews: a UDP entry that never saw a reply lives
// nf_conntrack_udp_timeout (30 s) past the last packet, one that did ..._timeout_stream (120 s).
std::string timeout_sysctl(const ConntrackEntry& entry) {
    if (entry.original.protocol == IPPROTO_TCP)
        return "net.netfilter.nf_conntrack_tcp_timeout_established";
    return entry.seen_reply() ? "net.netfilter.nf_conntrack_udp_timeout_stream"
                              : "net.netfilter.nf_conntrack_udp_timeout";
}

std::string then_line(const Group& group) {
    const StaleReading& r = group.reading;
    const FlowTuple& first = group.entries.front()->original;
    const std::string port =
        fmt::format("{}/{}", first.destination_port, ip_protocol_name(first.protocol));
    switch (r.nat) {
        case StaleNat::none:
            return fmt::format(
                "then: made while no DNAT rule for {} existed — after the old "
                "container went and before the new one was up — so conntrack "
                "recorded the flow without NAT",
                port);
        case StaleNat::gone_address:
            return fmt::format(
                "then: made when {} led to {}; no running container has that "
                "address now (its container was removed, or redeployed with a new "
                "address)",
                port, r.address.str());
        case StaleNat::other_container:
            return fmt::format(
                "then: made when {} led to {}, which is container {} now, and it "
                "does not publish {}",
                port, r.address.str(), r.owner->name, port);
        case StaleNat::wrong_port:
            return fmt::format("then: made when {} led to port {} of container {}", port, r.port,
                               r.owner->name);
    }
    return "";
}

// docker-proxy reaches the container from the host's address on the container's bridge.
std::string bridge_address(const Snapshot& snapshot, const PortPublisher& publisher) {
    const Link* bridge = publisher.network
                             ? snapshot.kernel.link_by_name(publisher.network->bridge_name())
                             : nullptr;
    for (const auto& address : snapshot.kernel.addresses)
        if (bridge && address.ifindex == bridge->ifindex) return address.cidr.address.str();
    return "the bridge's address";
}

// Where the kernel forwards packets for an address no container has any more: into a Docker
// bridge where no one answers ARP (the old network still exists), or on by another route.
std::string where_gone_address_leads(const Snapshot& snapshot, Ipv4Address address) {
    RouteFlow flow;
    flow.destination = address;
    const RouteResolution resolution = resolve_route(snapshot.kernel, flow);
    if (resolution.error || !resolution.route)
        return fmt::format(
            "the packets are forwarded to {}, for which this host has no route: "
            "they are dropped with ICMP network unreachable",
            address.str());
    const Route& route = *resolution.route;
    if (auto owner = leads_into_docker_bridge(snapshot, route)
                         ? docker_bridge_owner(snapshot, route.oif)
                         : std::nullopt)
        return fmt::format(
            "the packets are forwarded to {} into bridge {}{}, where no container "
            "answers ARP for it: they are dropped, and the host answers ICMP host "
            "unreachable",
            address.str(), owner->bridge,
            owner->network ? " (network " + owner->network->name + ")" : "");
    return fmt::format(
        "the packets are forwarded to {} by the route {}, away from every "
        "container",
        address.str(), describe_route(snapshot.kernel, route));
}

std::string where_packets_go(const Snapshot& snapshot, const Group& group) {
    const StaleReading& r = group.reading;
    switch (r.nat) {
        case StaleNat::none: {
            const FlowTuple& first = group.entries.front()->original;
            const UserlandProxyFact proxy = userland_proxy_fact(
                snapshot.docker, HostPort{first.destination_port, first.protocol});
            if (proxy.on)
                return fmt::format(
                    "with the userland proxy on ({}), the packets reach docker-proxy on this "
                    "host, which relays them to {} from its own address: the container sees {}, "
                    "never the sender",
                    proxy.basis,
                    r.publisher->address ? r.publisher->address->str() : "the container",
                    bridge_address(snapshot, *r.publisher));
            return fmt::format(
                "with the userland proxy off ({}), nothing reads them on this host: dockerd "
                "holds the port only to reserve it and never reads it (where no socket holds it, "
                "the host answers ICMP port unreachable)",
                proxy.basis);
        }
        case StaleNat::gone_address:
            return where_gone_address_leads(snapshot, r.address);
        case StaleNat::other_container:
            return fmt::format(
                "the packets are delivered to container {}, which does not "
                "publish this port",
                r.owner->name);
        case StaleNat::wrong_port:
            return fmt::format(
                "the packets reach container {} on port {}, where the service no "
                "longer listens",
                r.owner->name, r.port);
    }
    return "";
}

std::vector<std::string> evidence(const Snapshot& snapshot, const Group& group,
                                  const ConntrackRef& ref) {
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < group.entries.size() && i < kEntriesShown; ++i)
        lines.push_back(entry_line(snapshot, *group.entries[i]));
    if (group.entries.size() > kEntriesShown)
        lines.push_back(
            fmt::format("… and {} more like them", group.entries.size() - kEntriesShown));
    const StaleReading& r = group.reading;
    const FlowTuple& first_packet = group.entries.front()->original;
    const std::string published = fmt::format("{}/{}", first_packet.destination_port,
                                              ip_protocol_name(first_packet.protocol));
    if (r.publisher)
        lines.push_back(fmt::format(
            "now: Docker publishes {} of container {} (id {}) at {}:{}{}", published,
            r.publisher->container->name, r.publisher->container->id.substr(0, 12),
            r.publisher->address ? r.publisher->address->str() : "?",
            r.publisher->binding.container_port,
            r.publisher->network_name.empty() ? std::string{}
                                              : " on network " + r.publisher->network_name));
    else
        lines.push_back(fmt::format("now: no running container publishes {}", published));
    lines.push_back(then_line(group));
    const ConntrackEntry& first = *group.entries.front();
    lines.push_back(fmt::format(
        "conntrack consults the nat table only for a flow's first packet; every later packet "
        "follows the entry and renews its timeout ({}, {} s left), so a steady stream keeps it "
        "alive for as long as it lasts",
        timeout_sysctl(first), first.timeout_seconds));
    lines.push_back(where_packets_go(snapshot, group));
    lines.push_back(docker_flush_evidence(snapshot.docker.server_version, ref));
    return lines;
}

// Matches the group's entries by where they were sent and where they send the flow now (the
// reply source), so that entries with the current NAT are never touched; a single entry is
// named by its whole original tuple.
std::string delete_command(const Snapshot& snapshot, const Group& group) {
    const FlowTuple& first = group.entries.front()->original;
    std::string command = fmt::format("{}conntrack -D -p {}", netns_command_prefix(snapshot.netns),
                                      ip_protocol_name(first.protocol));
    if (group.entries.size() == 1)
        command +=
            fmt::format(" --orig-src {} --orig-port-src {}", first.source.str(), first.source_port);
    command += fmt::format(" --orig-dst {} --orig-port-dst {} --reply-src {}", group.host.str(),
                           first.destination_port, group.reading.address.str());
    if (group.reading.nat == StaleNat::wrong_port)
        command += fmt::format(" --reply-port-src {}", group.reading.port);
    if (group.zone) command += fmt::format(" --zone {}", group.zone);
    return command;
}

std::vector<std::string> prevention(const Snapshot& snapshot, const Group& group,
                                    const ConntrackRef& ref) {
    const FlowTuple& first = group.entries.front()->original;
    const std::string protocol = ip_protocol_name(first.protocol);
    std::vector<std::string> lines{
        "# in the deploy script, once the new container is up, delete what the redeploy left:",
        fmt::format("conntrack -D -p {} --orig-port-dst {}", protocol, first.destination_port),
        fmt::format("# or pause the senders during a redeploy for longer than {}: a stream that "
                    "never pauses keeps a stale entry alive however short that timeout is",
                    timeout_sysctl(*group.entries.front())),
    };
    if (auto advice = docker_flush_advice(snapshot.docker.server_version, ref))
        lines.push_back(*advice);
    if (group.reading.nat == StaleNat::gone_address ||
        group.reading.nat == StaleNat::other_container)
        lines.push_back(
            "# or keep the container's address across redeploys (compose: "
            "networks: {<net>: {ipv4_address: ...}}, docker run --ip): an old entry "
            "then still reaches the new container");
    return lines;
}

// The options that make a pathwhy command look where this diagnosis looked: the same namespace,
// Docker endpoint and daemon.json, so a printed `--fix` acts on the same host it was found on.
std::string place_flags(const Snapshot& snapshot) {
    std::string flags;
    if (!snapshot.netns.empty()) flags += " --netns " + shell_quote(snapshot.netns);
    const std::string& endpoint = snapshot.docker.endpoint;
    if (!endpoint.empty() && endpoint != kDefaultDockerHost)
        flags += " --docker-host " + shell_quote(endpoint);
    const std::string& daemon_json = snapshot.docker.daemon_config.path;
    if (!daemon_json.empty() && daemon_json != kDefaultDaemonJson)
        flags += " --daemon-json " + shell_quote(daemon_json);
    return flags;
}

Finding finding_of(const Snapshot& snapshot, HostPort port, const Group& group) {
    const StaleReading& r = group.reading;
    ConntrackRef ref;
    ref.port = published_port_ref(port, group.host, r.publisher);
    ref.nat = r.nat;
    ref.stale_address = r.address;
    ref.stale_port = r.port;
    if (r.owner) ref.stale_owner = r.owner->name;
    for (const ConntrackEntry* entry : group.entries)
        ref.entries.push_back({*entry, age_seconds(snapshot, *entry)});

    Finding finding;
    finding.kind = "stale-conntrack";
    finding.severity = Severity::critical;
    finding.summary = summary(group);
    finding.evidence = evidence(snapshot, group, ref);
    if (r.publisher && r.publisher->network)
        finding.docker_network = network_ref(snapshot, *r.publisher->network);
    finding.fix = {delete_command(snapshot, group)};
    finding.fix.push_back(
        fmt::format("# or let pathwhy delete exactly these entries: pathwhy "
                    ":{}/{}{} --fix",
                    port.port, ip_protocol_name(port.protocol), place_flags(snapshot)));
    finding.prevent = prevention(snapshot, group, ref);
    finding.conntrack = std::move(ref);
    return finding;
}

}  // namespace

std::string netns_command_prefix(const std::string& netns) {
    if (netns.empty()) return "";
    if (netns.find('/') != std::string::npos) return "nsenter --net=" + shell_quote(netns) + " ";
    return "ip netns exec " + shell_quote(netns) + " ";
}

std::vector<Finding> stale_conntrack_findings(const Snapshot& snapshot, HostPort port,
                                              std::optional<Ipv4Address> host) {
    if (!snapshot.conntrack) return {};
    std::vector<Group> groups;
    std::map<GroupKey, std::size_t> index;
    for (const ConntrackEntry& entry : snapshot.conntrack->entries) {
        if (!addressed_to_host_port(snapshot, entry, port, host)) continue;
        auto reading = read_stale_nat(snapshot, entry);
        if (!reading) continue;
        const GroupKey key{entry.original.destination, reading->nat, reading->address,
                           reading->port, entry.zone};
        auto [it, added] = index.try_emplace(key, groups.size());
        if (added) groups.push_back({entry.original.destination, *reading, entry.zone, {}});
        groups[it->second].entries.push_back(&entry);
    }
    std::vector<Finding> findings;
    for (const Group& group : groups) findings.push_back(finding_of(snapshot, port, group));
    return findings;
}

}  // namespace pathwhy
