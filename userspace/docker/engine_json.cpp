// JSON field access that never throws on a surprising shape: each reader returns the empty value
// when a field is missing, null or of another type. Only the top-level shape of an answer is an
// error, because then we are not talking to the API we think we are.
#include "docker/engine_json.h"

#include <nlohmann/json.hpp>

#include "docker/ipv4_text.h"
#include "docker/rfc3339.h"
#include "model/ip_protocol.h"

namespace pathwhy {

namespace {

using nlohmann::json;

const json* field(const json& object, const char* key) {
    if (!object.is_object()) return nullptr;
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

std::string string_field(const json& object, const char* key) {
    const json* value = field(object, key);
    return value && value->is_string() ? value->get<std::string>() : std::string{};
}

bool bool_field(const json& object, const char* key) {
    const json* value = field(object, key);
    return value && value->is_boolean() && value->get<bool>();
}

int int_field(const json& object, const char* key) {
    const json* value = field(object, key);
    return value && value->is_number_integer() ? value->get<int>() : 0;
}

// Labels and Options: string to string; other values are dropped.
std::map<std::string, std::string> string_map(const json& object, const char* key) {
    std::map<std::string, std::string> out;
    const json* value = field(object, key);
    if (!value || !value->is_object()) return out;
    for (const auto& [k, v] : value->items())
        if (v.is_string()) out.emplace(k, v.get<std::string>());
    return out;
}

// Iterate a field that should be an array (or object) of objects, skipping everything else.
template <typename Fn>
void for_each_object(const json* container, Fn&& fn) {
    if (!container || !(container->is_array() || container->is_object())) return;
    for (const auto& [key, value] : container->items())
        if (value.is_object()) fn(key, value);
}

// Docker writes gateways bare ("172.18.0.1"), but some drivers write them with a prefix.
std::optional<Ipv4Address> address_maybe_cidr(const std::string& text) {
    if (auto address = Ipv4Address::parse(text)) return address;
    if (auto cidr = parse_docker_cidr(text)) return cidr->address;
    return std::nullopt;
}

std::optional<Ipv4Cidr> cidr_field(const json& object, const char* key) {
    return parse_docker_cidr(string_field(object, key));
}

std::string described(const json& value) {
    bool vowel = value.is_object() || value.is_array();
    return std::string(vowel ? "an " : "a ") + value.type_name();
}

json parse_top(std::string_view body, json::value_t expected) {
    json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) throw EngineJsonError("invalid JSON");
    if (document.type() != expected) {
        throw EngineJsonError("unexpected JSON: expected " + described(json(expected)) + ", got " +
                              described(document));
    }
    return document;
}

DockerNetwork network_from(const json& object) {
    DockerNetwork network;
    network.id = string_field(object, "Id");
    network.name = string_field(object, "Name");
    network.driver = string_field(object, "Driver");
    network.scope = string_field(object, "Scope");
    network.created = string_field(object, "Created");
    network.created_unix = parse_rfc3339(network.created);
    network.internal = bool_field(object, "Internal");
    network.options = string_map(object, "Options");
    network.labels = string_map(object, "Labels");

    const json* ipam = field(object, "IPAM");
    for_each_object(ipam ? field(*ipam, "Config") : nullptr, [&](const auto&, const json& entry) {
        auto subnet = cidr_field(entry, "Subnet");
        if (!subnet) return;  // IPv6, or no subnet pathwhy could reason about
        IpamConfig config;
        config.subnet = subnet;
        config.gateway = address_maybe_cidr(string_field(entry, "Gateway"));
        config.ip_range = cidr_field(entry, "IPRange");
        network.ipam.push_back(std::move(config));
    });

    for_each_object(field(object, "Containers"), [&](const std::string& id, const json& entry) {
        DockerEndpoint endpoint;
        endpoint.container_id = id;
        endpoint.container_name = string_field(entry, "Name");
        endpoint.ipv4 = cidr_field(entry, "IPv4Address");
        network.endpoints.push_back(std::move(endpoint));
    });
    return network;
}

// Names holds "/name" and, for legacy links, "/other/alias" entries; the container's own name
// is the one without a second slash.
std::string container_name(const json& object) {
    std::string fallback;
    const json* names = field(object, "Names");
    if (!names || !names->is_array()) return {};
    for (const auto& entry : *names) {
        if (!entry.is_string()) continue;
        std::string name = entry.get<std::string>();
        if (name.starts_with('/')) name.erase(0, 1);
        if (name.find('/') == std::string::npos) return name;
        if (fallback.empty()) fallback = name;
    }
    return fallback;
}

// Ports lists exposed ports too (no PublicPort) and IPv6 bindings ("::"); only published IPv4
// ones can be DNAT targets of an IPv4 flow.
std::vector<PublishedPort> published_ports(const json& object) {
    std::vector<PublishedPort> ports;
    for_each_object(field(object, "Ports"), [&](const auto&, const json& entry) {
        auto host_ip = Ipv4Address::parse(string_field(entry, "IP"));
        auto protocol = ip_protocol_number(string_field(entry, "Type"));
        const int host_port = int_field(entry, "PublicPort");
        const int container_port = int_field(entry, "PrivatePort");
        auto valid = [](int port) { return port > 0 && port <= 65535; };
        if (!host_ip || !protocol || !valid(host_port) || !valid(container_port)) return;
        ports.push_back({*host_ip, static_cast<std::uint16_t>(host_port),
                         static_cast<std::uint16_t>(container_port), *protocol});
    });
    return ports;
}

// NetworkSettings.Networks: the same in the container list and in an inspected container.
std::vector<DockerContainerNetwork> container_networks(const json& object) {
    std::vector<DockerContainerNetwork> networks;
    const json* settings = field(object, "NetworkSettings");
    for_each_object(settings ? field(*settings, "Networks") : nullptr,
                    [&](const std::string& name, const json& entry) {
                        DockerContainerNetwork network;
                        network.network_name = name;
                        network.network_id = string_field(entry, "NetworkID");
                        network.ipv4 = Ipv4Address::parse(string_field(entry, "IPAddress"));
                        if (network.ipv4)
                            network.ipv4_prefix_length = int_field(entry, "IPPrefixLen");
                        networks.push_back(std::move(network));
                    });
    return networks;
}

DockerContainer container_from(const json& object) {
    DockerContainer container;
    container.id = string_field(object, "Id");
    container.name = container_name(object);
    container.state = string_field(object, "State");
    container.labels = string_map(object, "Labels");
    container.networks = container_networks(object);
    container.ports = published_ports(object);
    return container;
}

}  // namespace

EngineVersion parse_version_json(std::string_view body) {
    json document = parse_top(body, json::value_t::object);
    return EngineVersion{string_field(document, "Version"), string_field(document, "ApiVersion"),
                         string_field(document, "MinAPIVersion")};
}

std::vector<DockerNetwork> parse_network_list_json(std::string_view body) {
    std::vector<DockerNetwork> networks;
    json document = parse_top(body, json::value_t::array);
    for_each_object(&document, [&](const auto&, const json& entry) {
        DockerNetwork network = network_from(entry);
        if (!network.id.empty()) networks.push_back(std::move(network));
    });
    return networks;
}

DockerNetwork parse_network_json(std::string_view body) {
    DockerNetwork network = network_from(parse_top(body, json::value_t::object));
    if (network.id.empty()) throw EngineJsonError("unexpected JSON: the network has no Id");
    return network;
}

std::vector<DockerContainer> parse_container_list_json(std::string_view body) {
    std::vector<DockerContainer> containers;
    json document = parse_top(body, json::value_t::array);
    for_each_object(&document, [&](const auto&, const json& entry) {
        DockerContainer container = container_from(entry);
        if (!container.id.empty()) containers.push_back(std::move(container));
    });
    return containers;
}

DockerContainer parse_container_inspect_json(std::string_view body) {
    const json document = parse_top(body, json::value_t::object);
    DockerContainer container;
    container.id = string_field(document, "Id");
    container.name = string_field(document, "Name");
    if (container.name.starts_with('/')) container.name.erase(0, 1);
    if (const json* state = field(document, "State")) {
        container.state = string_field(*state, "Status");
        container.pid = int_field(*state, "Pid");
    }
    if (const json* config = field(document, "Config")) container.labels = string_map(*config, "Labels");
    container.networks = container_networks(document);
    if (container.id.empty()) throw EngineJsonError("unexpected JSON: the container has no Id");
    return container;
}

DockerEvent parse_event_json(std::string_view line) {
    const json document = parse_top(line, json::value_t::object);
    DockerEvent event;
    event.type = string_field(document, "Type");
    event.action = string_field(document, "Action");
    if (const json* actor = field(document, "Actor")) {
        event.actor_id = string_field(*actor, "ID");
        event.attributes = string_map(*actor, "Attributes");
    }
    if (const json* nanos = field(document, "timeNano"); nanos && nanos->is_number_integer())
        event.time_unix_ns = nanos->get<std::int64_t>();
    if (event.type.empty() || event.action.empty())
        throw EngineJsonError("unexpected JSON: an event without Type or Action");
    return event;
}

}  // namespace pathwhy
