#include "report/scan_report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/ip_protocol.h"
#include "report/painter.h"

namespace pathwhy {

namespace {

std::vector<std::string> port_names(const ScanCoverage& checked) {
    std::vector<std::string> names;
    for (const HostPort& port : checked.ports)
        names.push_back(fmt::format("{}/{}", port.port, ip_protocol_name(port.protocol)));
    return names;
}

std::vector<std::string> peer_names(const ScanCoverage& checked) {
    std::vector<std::string> names;
    for (const Ipv4Cidr& peer : checked.peers) names.push_back(peer.str());
    return names;
}

std::string coverage_line(const ScanCoverage& checked) {
    std::vector<std::string> parts{
        fmt::format("{} Docker networks", checked.docker_networks),
        fmt::format("{} routes", checked.routes),
    };
    const auto peers = peer_names(checked);
    parts.push_back(peers.empty() ? "no peer ranges (--peer)"
                                  : fmt::format("peers {}", fmt::join(peers, ", ")));
    const auto ports = port_names(checked);
    parts.push_back(ports.empty() ? "no published ports"
                                  : fmt::format("ports {}", fmt::join(ports, ", ")));
    parts.push_back(checked.conntrack_entries
                        ? fmt::format("{} conntrack entries", *checked.conntrack_entries)
                        : "conntrack not readable");
    return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace

std::string render_scan_text(const ScanResult& result, const TextStyle& style) {
    Painter paint(style.color);
    std::string out = fmt::format(
        "{}  {}\n\n  {}  {}\n", result.clean() ? paint.green("OK") : paint.red("PROBLEMS"),
        result.headline, paint.bold("checked"), coverage_line(result.checked));
    return out + render_findings(result.findings, result.notes, result.headline, style);
}

nlohmann::json scan_to_json(const ScanResult& result, const DiagnosisContext& context) {
    using nlohmann::json;
    const ScanCoverage& checked = result.checked;
    return {
        {"verdict", result.clean() ? "ok" : "problems"},
        {"summary", result.headline},
        {"checked",
         {{"docker_networks", checked.docker_networks},
          {"routes", checked.routes},
          {"peers", peer_names(checked)},
          {"published_ports", port_names(checked)},
          {"conntrack_entries",
           checked.conntrack_entries ? json(*checked.conntrack_entries) : json(nullptr)}}},
        {"findings", findings_to_json(result.findings)},
        {"notes", result.notes},
        {"netns", context.netns.empty() ? json(nullptr) : json(context.netns)},
        {"docker", docker_context_to_json(context)},
    };
}

}  // namespace pathwhy
