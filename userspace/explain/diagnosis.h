// The explainer's output: a verdict for one destination and the findings behind it. Renderers
// (text, JSON) and exit codes are derived from this value alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "explain/packet_path.h"
#include "explain/port_refs.h"
#include "model/ipv4.h"
#include "model/kernel_state.h"
#include "model/kernel_views.h"
#include "model/observation.h"

namespace pathwhy {

enum class Verdict { ok, misrouted, unreachable, dropped };
enum class Severity { info, warning, critical };

std::string verdict_name(Verdict verdict);
std::string severity_name(Severity severity);

struct ContainerRef {
    std::string name;
    std::optional<Ipv4Address> ipv4;
};

// The Docker network a finding is about, flattened for display and JSON.
struct NetworkRef {
    std::string id;
    std::string name;
    std::string bridge;
    std::string subnet;
    std::string compose_project;
    std::vector<ContainerRef> containers;
    std::string created;                       // as Docker gave it
    std::optional<std::int64_t> age_seconds;   // at snapshot time
};

// Where an observed packet died: the netfilter hook and the rule or policy most likely behind it
// (netfilter-drop), or the kernel's drop reason and the function that freed it (kernel-drop).
struct DropPoint {
    std::string hook;                 // "FORWARD"; "" for kernel drops outside netfilter
    std::vector<std::string> tables;  // every table registered in the hook where it died
    std::string table;                // the one whose rule or policy dropped it; "" if unknown
    std::string chain;                // "DOCKER-ISOLATION-STAGE-2"; the hook's chain for policies
    std::string rule;                 // as iptables-save prints it, or "policy DROP"
    bool certain = false;             // every condition of the rules on the way was evaluated
    std::string reason;               // the kernel's drop reason: "NETFILTER_DROP", "NO_SOCKET"
    std::string location;             // the freeing function: "nf_hook_slow+0x9c"
    std::string in_dev, out_dev;      // the packet's devices there
    int packets = 0;                  // how many observed packets died there
    // The kernel said so: a kfree_skb of the packet (NETFILTER_DROP inside the hook for
    // netfilter-drop). Unconfirmed, the drop is only inferred from a missing event: a warning,
    // with `unconfirmed_because`.
    bool confirmed = false;
    std::string unconfirmed_because;
};

struct Finding {
    std::string kind;  // stable id: route-into-docker-bridge, leaked-docker-network, no-route ...
    Severity severity = Severity::info;
    std::string summary;
    std::vector<std::string> evidence;
    std::optional<NetworkRef> docker_network;
    // route-into-docker-bridge: "outbound" (packets to the destination go into the bridge) or
    // "reply" (packets from it arrive, the answers go into the bridge); "" for other kinds.
    std::string direction;
    std::optional<DropPoint> drop;  // netfilter-drop, kernel-drop
    std::optional<ConntrackRef> conntrack;  // stale-conntrack
    std::vector<std::string> fix;      // shell commands; lines starting "#" are comments
    std::vector<std::string> prevent;  // commands or config lines
};

// One route as the diagnosis shows it ("which route wins").
struct RouteChoice {
    std::string table;  // "main", "local", "default" or the number
    Ipv4Cidr prefix;
    RouteType type = RouteType::unicast;
    std::string dev;
    std::optional<Ipv4Address> gateway;
    std::optional<Ipv4Address> src;
    std::uint32_t metric = 0;
    std::optional<std::uint32_t> rule_priority;

    std::string describe() const;  // "172.31.0.0/16 dev br-e8395baf4d8b src 172.31.0.1 (table main)"
};

// How packets were observed, for the renderers: the Observation without its events.
// A packet last seen entering a netfilter hook, with no drop for it, that was not counted as a
// drop — and why not.
struct UnfinishedPacket {
    enum class Cause {
        tracer_stopped,  // within the tracer's last second: its next event was still to come
        not_seen_yet,    // within the last second of the events looked at: a later look decides
        events_lost,     // events were lost meanwhile: its exit may be among them
        not_freed,       // the drops view saw no NETFILTER_DROP for it: not dropped (stolen, or
                         // its exit's event not made)
    };
    std::uint64_t packet_id = 0;
    std::uint64_t entered_ns = 0;  // the entry event's timestamp: with packet_id, which packet
    std::string hook;
    Cause cause = Cause::not_freed;
};

std::string unfinished_cause_id(UnfinishedPacket::Cause cause);  // stable JSON id

struct TraceInfo {
    Observation::Mode mode = Observation::Mode::watch;
    std::string probe;  // "tcp:443"; "" when watching
    std::string from;   // "container:NAME" or ""
    int watch_seconds = 0;
    bool interrupted = false;
    std::string outcome;  // the probe's result as its socket said it
    std::uint64_t outcome_after_ms = 0;
    std::size_t events = 0;
    std::uint64_t lost_events = 0;
    std::vector<UnfinishedPacket> unfinished;
};

struct Diagnosis {
    // What the user asked about when it was more than an address (":8888/udp",
    // "container:web"); then `destination` is where it leads now (the container's address).
    std::string target;
    Ipv4Address destination;
    std::optional<PublishedPortRef> port;  // for a port target
    Verdict verdict = Verdict::ok;
    std::optional<RouteChoice> route;          // the route the destination takes
    std::optional<RouteChoice> kernel_route;   // the kernel's own answer when it differs from route
    std::string headline;                      // the one-line answer
    std::vector<std::string> notes;            // degraded views, e.g. Docker not reachable
    std::vector<Finding> findings;
    // What the packet tracer saw (--probe, --watch); empty and nullopt when nothing was traced.
    std::optional<TraceInfo> trace;
    ObservedPath observed;
    KernelViews views;
};

std::string table_name(std::uint32_t table);

}  // namespace pathwhy
