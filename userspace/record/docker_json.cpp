#include "record/docker_json.h"

#include "record/json_fields.h"

namespace pathwhy::record_json {
namespace {

json endpoint_to_json(const DockerEndpoint& endpoint) {
    json j = json::object();
    put(j, "container_id", endpoint.container_id);
    put(j, "container_name", endpoint.container_name);
    put(j, "ipv4", endpoint.ipv4);
    return j;
}

DockerEndpoint endpoint_from_json(const json& j) {
    return {text(j, "container_id"), text(j, "container_name"), cidr(j, "ipv4")};
}

json ipam_to_json(const IpamConfig& ipam) {
    json j = json::object();
    put(j, "subnet", ipam.subnet);
    put(j, "gateway", ipam.gateway);
    put(j, "ip_range", ipam.ip_range);
    return j;
}

IpamConfig ipam_from_json(const json& j) {
    return {cidr(j, "subnet"), address(j, "gateway"), cidr(j, "ip_range")};
}

json network_to_json(const DockerNetwork& network) {
    json j = {{"id", network.id}, {"name", network.name}};
    put(j, "driver", network.driver);
    put(j, "scope", network.scope);
    put(j, "created", network.created);
    if (network.created_unix) j["created_unix"] = *network.created_unix;
    put(j, "internal", network.internal);
    put(j, "options", network.options);
    put(j, "labels", network.labels);
    put_array(j, "ipam", network.ipam, ipam_to_json);
    put_array(j, "endpoints", network.endpoints, endpoint_to_json);
    return j;
}

DockerNetwork network_from_json(const json& j) {
    DockerNetwork network;
    network.id = text(j, "id");
    network.name = text(j, "name");
    network.driver = text(j, "driver");
    network.scope = text(j, "scope");
    network.created = text(j, "created");
    if (field(j, "created_unix")) network.created_unix = integer<std::int64_t>(j, "created_unix");
    network.internal = boolean(j, "internal");
    network.options = string_map(j, "options");
    network.labels = string_map(j, "labels");
    network.ipam = array(j, "ipam", ipam_from_json);
    network.endpoints = array(j, "endpoints", endpoint_from_json);
    return network;
}

json container_network_to_json(const DockerContainerNetwork& network) {
    json j = {{"network_name", network.network_name}};
    put(j, "network_id", network.network_id);
    put(j, "ipv4", network.ipv4);
    put(j, "prefix_length", network.ipv4_prefix_length);
    return j;
}

DockerContainerNetwork container_network_from_json(const json& j) {
    return {text(j, "network_name"), text(j, "network_id"), address(j, "ipv4"),
            integer<int>(j, "prefix_length")};
}

json port_to_json(const PublishedPort& port) {
    return {{"host_ip", port.host_ip.str()},
            {"host_port", port.host_port},
            {"container_port", port.container_port},
            {"protocol", port.protocol}};
}

PublishedPort port_from_json(const json& j) {
    return {address(j, "host_ip").value_or(Ipv4Address{}), integer<std::uint16_t>(j, "host_port"),
            integer<std::uint16_t>(j, "container_port"), integer<std::uint8_t>(j, "protocol")};
}

json container_to_json(const DockerContainer& container) {
    json j = {{"id", container.id}, {"name", container.name}};
    put(j, "state", container.state);
    put(j, "labels", container.labels);
    put_array(j, "networks", container.networks, container_network_to_json);
    put_array(j, "ports", container.ports, port_to_json);
    return j;
}

DockerContainer container_from_json(const json& j) {
    DockerContainer container;
    container.id = text(j, "id");
    container.name = text(j, "name");
    container.state = text(j, "state");
    container.labels = string_map(j, "labels");
    container.networks = array(j, "networks", container_network_from_json);
    container.ports = array(j, "ports", port_from_json);
    return container;
}

json pool_to_json(const AddressPool& pool) { return {{"base", pool.base.str()}, {"size", pool.size}}; }

AddressPool pool_from_json(const json& j) {
    return {cidr(j, "base").value_or(Ipv4Cidr{}), integer<int>(j, "size")};
}

DockerStatus status_from(const json& j, const char* key) {
    return named(j, key,
                 {DockerStatus::absent, DockerStatus::unreachable, DockerStatus::error,
                  DockerStatus::ok},
                 docker_status_name);
}

}  // namespace

json docker_state_to_json(const DockerState& state) {
    json j = {{"status", docker_status_name(state.status)}};
    put(j, "endpoint", state.endpoint);
    put(j, "error", state.error);
    put(j, "server_version", state.server_version);
    put(j, "api_version", state.api_version);
    put_array(j, "networks", state.networks, network_to_json);
    put_array(j, "containers", state.containers, container_to_json);
    const DaemonConfig& config = state.daemon_config;
    json daemon = json::object();
    put(daemon, "path", config.path);
    put(daemon, "present", config.present);
    put(daemon, "error", config.error);
    put(daemon, "bip", config.bip);
    put_array(daemon, "default_address_pools", config.default_address_pools, pool_to_json);
    if (!config.userland_proxy) daemon["userland_proxy"] = false;
    j["daemon_config"] = std::move(daemon);
    return j;
}

DockerState docker_state_from_json(const json& j) {
    DockerState state;
    state.status = status_from(j, "status");
    state.endpoint = text(j, "endpoint");
    state.error = text(j, "error");
    state.server_version = text(j, "server_version");
    state.api_version = text(j, "api_version");
    state.networks = array(j, "networks", network_from_json);
    state.containers = array(j, "containers", container_from_json);
    if (const json* daemon = field(j, "daemon_config")) {
        DaemonConfig& config = state.daemon_config;
        config.path = text(*daemon, "path");
        config.present = boolean(*daemon, "present");
        config.error = text(*daemon, "error");
        config.bip = cidr(*daemon, "bip");
        config.default_address_pools = array(*daemon, "default_address_pools", pool_from_json);
        const json* proxy = field(*daemon, "userland_proxy");
        config.userland_proxy = !proxy || boolean(*daemon, "userland_proxy");
    }
    return state;
}

json docker_event_to_json(const DockerEvent& event) {
    json j = {{"time_ns", event.time_unix_ns}, {"type", event.type}, {"action", event.action}};
    put(j, "actor_id", event.actor_id);
    put(j, "attributes", event.attributes);
    if (event.network) j["network"] = network_to_json(*event.network);
    return j;
}

DockerEvent docker_event_from_json(const json& j) {
    DockerEvent event;
    event.time_unix_ns = integer<std::int64_t>(j, "time_ns");
    event.type = text(j, "type");
    event.action = text(j, "action");
    event.actor_id = text(j, "actor_id");
    event.attributes = string_map(j, "attributes");
    if (const json* network = field(j, "network")) event.network = network_from_json(*network);
    return event;
}

}  // namespace pathwhy::record_json
