#include "explain/target_explainer.h"

#include <fmt/format.h>

#include <algorithm>

#include "explain/docker_notes.h"
#include "explain/explainer.h"
#include "explain/leaked_networks.h"
#include "explain/stale_conntrack.h"
#include "model/ip_protocol.h"

namespace pathwhy {

namespace {

std::string port_text(HostPort port, std::optional<Ipv4Address> host) {
    return fmt::format("{}:{}/{}", host ? host->str() : "", port.port,
                       ip_protocol_name(port.protocol));
}

// Nothing to route to: no running container publishes the port.
Diagnosis unpublished_port(const Snapshot& snapshot, HostPort port,
                           std::optional<Ipv4Address> host) {
    Diagnosis diagnosis;
    diagnosis.destination = host.value_or(Ipv4Address{});
    diagnosis.verdict = Verdict::unreachable;
    diagnosis.notes = docker_notes(snapshot.docker);
    const std::size_t running =
        std::count_if(snapshot.docker.containers.begin(), snapshot.docker.containers.end(),
                      [](const DockerContainer& c) { return c.state == "running"; });
    Finding finding;
    finding.kind = "port-not-published";
    finding.severity = Severity::critical;
    finding.summary = fmt::format("no running container publishes {}", port_text(port, host));
    finding.evidence = {
        fmt::format("Docker lists {} running container{}; none has a binding for host port {}/{}{}",
                    running, running == 1 ? "" : "s", port.port, ip_protocol_name(port.protocol),
                    host ? " on " + host->str() + " or 0.0.0.0" : ""),
        "a stopped container publishes nothing: its DNAT rule goes with it",
    };
    // `docker ps --filter publish=` matches the container's port, not the host's, so the
    // container that should publish it is found by its host port bindings, which a stopped
    // container keeps.
    finding.fix = {
        fmt::format("docker inspect --format '{{{{.Name}}}} {{{{json .HostConfig.PortBindings}}}}' "
                    "$(docker ps --all --quiet) | grep '/{}\":\\[[^]]*\"HostPort\":\"{}\"'"
                    "   # the container that should publish it, if it is only stopped",
                    ip_protocol_name(port.protocol), port.port),
        "# then start it: docker start NAME, or docker compose up -d in its project",
    };
    diagnosis.findings.push_back(std::move(finding));
    diagnosis.headline = diagnosis.findings.back().summary;
    for (auto& leaked : leaked_network_findings(snapshot))
        diagnosis.findings.push_back(std::move(leaked));
    return diagnosis;
}

// Stale entries come first (most severe) and decide the verdict: the route to the container
// may be perfect while every packet of the stream still goes elsewhere.
void add_stale_findings(const Snapshot& snapshot, std::vector<Finding> stale,
                        Diagnosis& diagnosis) {
    if (auto note = conntrack_note(snapshot)) diagnosis.notes.push_back(*note);
    if (stale.empty()) return;
    diagnosis.verdict = Verdict::misrouted;
    diagnosis.headline = stale.front().summary;
    diagnosis.findings.insert(diagnosis.findings.begin(), std::make_move_iterator(stale.begin()),
                              std::make_move_iterator(stale.end()));
}

}  // namespace

std::optional<std::string> conntrack_note(const Snapshot& snapshot) {
    if (!snapshot.conntrack || snapshot.conntrack->error.empty()) return std::nullopt;
    return "conntrack: " + snapshot.conntrack->error + "; stale NAT entries were not checked";
}

Diagnosis explain_published_port(const Snapshot& snapshot, HostPort port,
                                 std::optional<Ipv4Address> host) {
    const auto publisher = port_publisher(snapshot.docker, port, host);
    Diagnosis diagnosis = publisher && publisher->address
                              ? explain_destination(snapshot, *publisher->address)
                              : unpublished_port(snapshot, port, host);
    diagnosis.port = published_port_ref(port, host, publisher);
    // Without the conntrack table the headline must not vouch for it: a stale entry is exactly
    // what this target is asked about (seed 003).
    if (publisher && diagnosis.verdict == Verdict::ok)
        diagnosis.headline = fmt::format(
            "{} leads to container {}{}", port_text(port, host), diagnosis.port->leads_to(),
            conntrack_note(snapshot)
                ? "; conntrack could not be read, so stale NAT was not checked"
                : ", and no conntrack entry holds an older NAT for it");
    add_stale_findings(snapshot, stale_conntrack_findings(snapshot, port, host), diagnosis);
    return diagnosis;
}

Diagnosis explain_container(const Snapshot& snapshot, const DockerContainer& container) {
    Diagnosis diagnosis =
        explain_destination(snapshot, container_address(container).value_or(Ipv4Address{}));
    std::vector<Finding> stale;
    std::vector<HostPort> seen;
    for (const PublishedPort& binding : container.ports) {
        const HostPort port{binding.host_port, binding.protocol};
        if (std::find(seen.begin(), seen.end(), port) != seen.end()) continue;
        seen.push_back(port);
        for (auto& finding : stale_conntrack_findings(snapshot, port))
            stale.push_back(std::move(finding));
    }
    add_stale_findings(snapshot, std::move(stale), diagnosis);
    return diagnosis;
}

}  // namespace pathwhy
