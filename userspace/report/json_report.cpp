#include "report/json_report.h"

#include "report/conntrack_json.h"
#include "report/observed_json.h"

namespace pathwhy {

namespace {

using nlohmann::json;

json optional_address(const std::optional<Ipv4Address>& address) {
    return address ? json(address->str()) : json(nullptr);
}

json route_to_json(const RouteChoice& route) {
    return {
        {"table", route.table},
        {"prefix", route.prefix.str()},
        {"type", route_type_name(route.type)},
        {"dev", route.dev.empty() ? json(nullptr) : json(route.dev)},
        {"gateway", optional_address(route.gateway)},
        {"src", optional_address(route.src)},
        {"metric", route.metric},
        {"rule_priority", route.rule_priority ? json(*route.rule_priority) : json(nullptr)},
    };
}

json network_to_json(const NetworkRef& network) {
    json containers = json::array();
    for (const auto& container : network.containers)
        containers.push_back({{"name", container.name}, {"ipv4", optional_address(container.ipv4)}});
    return {
        {"id", network.id},
        {"name", network.name},
        {"bridge", network.bridge},
        {"subnet", network.subnet},
        {"compose_project", network.compose_project.empty() ? json(nullptr)
                                                             : json(network.compose_project)},
        {"containers", containers},
        {"created", network.created},
        {"age_seconds", network.age_seconds ? json(*network.age_seconds) : json(nullptr)},
    };
}

json finding_to_json(const Finding& finding) {
    return {
        {"kind", finding.kind},
        {"severity", severity_name(finding.severity)},
        {"summary", finding.summary},
        {"evidence", finding.evidence},
        {"docker_network",
         finding.docker_network ? network_to_json(*finding.docker_network) : json(nullptr)},
        {"fix", finding.fix},
        {"prevent", finding.prevent},
        {"direction", finding.direction.empty() ? json(nullptr) : json(finding.direction)},
        {"drop", drop_to_json(finding.drop)},
        {"conntrack", conntrack_to_json(finding.conntrack)},
    };
}

}  // namespace

json findings_to_json(const std::vector<Finding>& findings) {
    json out = json::array();
    for (const auto& finding : findings) out.push_back(finding_to_json(finding));
    return out;
}

json docker_context_to_json(const DiagnosisContext& context) {
    return {
        {"status", docker_status_name(context.docker_status)},
        {"endpoint", context.docker_endpoint},
        {"version", context.docker_version.empty() ? json(nullptr) : json(context.docker_version)},
        {"error", context.docker_error.empty() ? json(nullptr) : json(context.docker_error)},
    };
}

json diagnosis_to_json(const Diagnosis& diagnosis, const DiagnosisContext& context) {
    return {
        {"target", diagnosis.target.empty() ? diagnosis.destination.str() : diagnosis.target},
        {"destination", diagnosis.destination.str()},
        {"port", published_port_to_json(diagnosis.port)},
        {"verdict", verdict_name(diagnosis.verdict)},
        {"summary", diagnosis.headline},
        {"route", diagnosis.route ? route_to_json(*diagnosis.route) : json(nullptr)},
        {"kernel_route",
         diagnosis.kernel_route ? route_to_json(*diagnosis.kernel_route) : json(nullptr)},
        {"findings", findings_to_json(diagnosis.findings)},
        {"notes", diagnosis.notes},
        {"netns", context.netns.empty() ? json(nullptr) : json(context.netns)},
        {"docker", docker_context_to_json(context)},
        {"trace", trace_to_json(diagnosis.trace)},
        {"observed", observed_to_json(diagnosis.observed)},
        {"views", views_to_json(diagnosis.views)},
    };
}

}  // namespace pathwhy
