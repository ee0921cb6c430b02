// The explainer's output: a verdict for one destination and the findings behind it. Renderers
// (text, JSON) and exit codes are derived from this value alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/ipv4.h"
#include "model/kernel_state.h"

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

struct Finding {
    std::string kind;  // stable id: route-into-docker-bridge, leaked-docker-network, no-route ...
    Severity severity = Severity::info;
    std::string summary;
    std::vector<std::string> evidence;
    std::optional<NetworkRef> docker_network;
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

struct Diagnosis {
    Ipv4Address destination;
    Verdict verdict = Verdict::ok;
    std::optional<RouteChoice> route;          // the route the destination takes
    std::optional<RouteChoice> kernel_route;   // the kernel's own answer when it differs from route
    std::string headline;                      // the one-line answer
    std::vector<std::string> notes;            // degraded views, e.g. Docker not reachable
    std::vector<Finding> findings;
};

std::string table_name(std::uint32_t table);

}  // namespace pathwhy
