#include "explain/kernel_drop.h"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <tuple>

#include "explain/event_names.h"

namespace pathwhy {
namespace {

using Kind = ObservedEvent::Kind;

// The reasons a diagnosis meets (include/net/dropreason-core.h), in words.
std::string meaning(const std::string& reason) {
    static const std::map<std::string, std::string> kMeanings = {
        {"NO_SOCKET",
         "it reached this host, but no socket listens on its port (TCP answers "
         "with a reset, UDP with port unreachable)"},
        {"IP_RPFILTER",
         "reverse path filter: the route back to its source does not leave "
         "through the interface it arrived on (rp_filter) — a route into a "
         "Docker bridge for the source's range does exactly that"},
        {"IP_OUTNOROUTES", "no route for it: the lookup failed"},
        {"IP_INNOROUTES", "no route for it on input: the lookup failed"},
        {"OTHERHOST", "it was addressed to another host's MAC address"},
        {"IP_INADDRERRORS", "its destination address is not valid here"},
        {"IP_NOPROTO", "no handler for its IP protocol"},
        {"TCP_INVALID_SEQUENCE", "TCP: outside the receive window"},
        {"TCP_RESET", "TCP: the connection was reset"},
        {"TCP_CLOSE", "TCP: the socket was closed"},
        {"SOCKET_FILTER", "a socket filter (BPF) refused it"},
        {"SOCKET_RCVBUFF", "the socket's receive buffer was full"},
        {"QDISC_DROP", "the device's queueing discipline dropped it (queue full or policed)"},
        {"FULL_RING", "the device's ring buffer was full"},
        {"TC_INGRESS", "a tc ingress filter dropped it"},
        {"TC_EGRESS", "a tc egress filter dropped it"},
        {"XFRM_POLICY", "an IPsec (xfrm) policy refused it"},
        {"PKT_TOO_BIG", "it is larger than the path's MTU and may not be fragmented"},
        {"UNICAST_IN_L2_MULTICAST", "an IP unicast packet in a link-layer multicast frame"},
        {"NOT_SPECIFIED", "the kernel did not say why (a generic kfree_skb)"},
        {"NETFILTER_DROP",
         "a netfilter rule or policy dropped it (the tracer did not see which hook: its "
         "netfilter view is missing or lost the packet's entry)"},
    };
    auto it = kMeanings.find(reason);
    return it == kMeanings.end() ? std::string{} : it->second;
}

// "tcp_v4_rcv+0x9a" -> "tcp_v4_rcv": the same place whatever the offset.
std::string function_of(const std::string& location) {
    return location.substr(0, location.find('+'));
}

// A NETFILTER_DROP that ended a hop the tracer saw the packet enter: netfilter-drop tells it,
// with the hook and the rule. One without (the netfilter view missing, the entry's event lost)
// is still a drop the kernel reported, told here.
bool ends_a_hop(const ObservedPath& path, const ObservedStep& step, std::size_t index) {
    if (step.packet < 0) return false;
    for (const Hop& hop : path.packets[step.packet].hops)
        if (hop.drop_step == index) return true;
    return false;
}

// The conntrack state the packet last showed at a netfilter hook before it was freed, if any.
std::optional<std::string> conntrack_state_before(const ObservedPath& path,
                                                  const ObservedStep& step, std::size_t index) {
    if (step.packet < 0) return std::nullopt;
    std::optional<std::string> state;
    for (std::size_t at : path.packets[step.packet].steps) {
        if (at >= index) break;
        const ObservedEvent& e = path.steps[at].event;
        if (e.kind == Kind::netfilter && e.conntrack) state = ctinfo_state_name(e.conntrack->ctinfo);
    }
    return state;
}

// A packet of a connection conntrack already knew as ESTABLISHED that found no socket: a
// straggler of a connection whose socket has closed (a last ACK or FIN after a reset, a reply
// after the client gave up). Healthy traffic makes them; a service that is down refuses NEW ones.
bool stray_after_close(const std::string& reason, const std::optional<std::string>& state) {
    return reason == "NO_SOCKET" && state == "ESTABLISHED";
}

}  // namespace

bool drop_reason_explained_elsewhere(const std::string& reason) {
    return reason == "NEIGH_FAILED" || reason == "NEIGH_QUEUEFULL" || reason == "NEIGH_DEAD";
}

std::vector<Finding> kernel_drop_findings(const ObservedPath& path) {
    std::vector<Finding> findings;
    std::map<std::tuple<std::string, std::string, bool>, std::size_t> seen;
    for (std::size_t index = 0; index < path.steps.size(); ++index) {
        const ObservedStep& step = path.steps[index];
        const ObservedEvent& e = step.event;
        if (e.kind != Kind::drop || drop_reason_explained_elsewhere(e.drop_reason_name)) continue;
        if (e.drop_reason_name == "NETFILTER_DROP" && ends_a_hop(path, step, index)) continue;
        const std::string reason = e.drop_reason_name.empty()
                                       ? fmt::format("reason {}", e.drop_reason)
                                       : e.drop_reason_name;
        const std::optional<std::string> state = conntrack_state_before(path, step, index);
        const bool stray = stray_after_close(reason, state);
        const auto key = std::tuple{reason, function_of(e.drop_location), stray};
        if (auto it = seen.find(key); it != seen.end()) {
            ++findings[it->second].drop->packets;
            continue;
        }
        Finding finding;
        finding.kind = "kernel-drop";
        // The kernel frees packets "as dropped" for mundane reasons too; without a reason, or
        // for a straggler of a closed connection, it is a hint, not a verdict.
        finding.severity =
            reason == "NOT_SPECIFIED" || stray ? Severity::warning : Severity::critical;
        DropPoint drop;
        drop.reason = reason;
        drop.location = e.drop_location;
        drop.in_dev = step.in_dev;
        drop.out_dev = step.out_dev;
        drop.packets = 1;
        drop.confirmed = true;  // the kernel's own report of the drop
        const std::string where = step.out_dev.empty() ? "" : " on " + step.out_dev;
        finding.summary =
            fmt::format("the kernel dropped {}{}: {}", describe_flow(e.packet), where, reason);
        finding.evidence.push_back(
            fmt::format("observed: skb:kfree_skb, reason {}{}", reason,
                        e.drop_location.empty() ? "" : ", in " + e.drop_location));
        if (const std::string text = meaning(reason); !text.empty())
            finding.evidence.push_back(reason + ": " + text);
        if (stray)
            finding.evidence.push_back(
                "conntrack knew its connection as ESTABLISHED: a packet arriving after its "
                "socket closed, as connections that end make now and then — a service that "
                "is down refuses NEW ones");
        finding.drop = std::move(drop);
        seen.emplace(key, findings.size());
        findings.push_back(std::move(finding));
    }
    for (auto& finding : findings)
        if (finding.drop->packets > 1)
            finding.evidence.push_back(
                fmt::format("{} packets were dropped there in all", finding.drop->packets));
    return findings;
}

}  // namespace pathwhy
