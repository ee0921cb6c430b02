#include "support/seed_fixture.h"

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace pathwhy::test {

namespace {

std::vector<std::string> words(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> out;
    for (std::string word; in >> word;) out.push_back(word);
    return out;
}

Ipv4Address must_address(const std::string& text) {
    auto address = Ipv4Address::parse(text);
    if (!address) throw std::runtime_error("fixture: bad address " + text);
    return *address;
}

std::uint8_t protocol_number(const std::string& name) {
    static const std::map<std::string, std::uint8_t> numbers{
        {"redirect", 1}, {"kernel", 2}, {"boot", 3}, {"static", 4}, {"dhcp", 16}};
    auto it = numbers.find(name);
    return it == numbers.end() ? static_cast<std::uint8_t>(std::stoi(name)) : it->second;
}

std::uint8_t scope_number(const std::string& name) {
    if (name == "link") return 253;
    if (name == "host") return 254;
    if (name == "global" || name == "universe") return 0;
    return static_cast<std::uint8_t>(std::stoi(name));
}

std::optional<RouteType> route_type_keyword(const std::string& word) {
    static const std::map<std::string, RouteType> types{
        {"unreachable", RouteType::unreachable}, {"blackhole", RouteType::blackhole},
        {"prohibit", RouteType::prohibit},       {"throw", RouteType::throw_},
        {"local", RouteType::local},             {"broadcast", RouteType::broadcast}};
    auto it = types.find(word);
    if (it == types.end()) return std::nullopt;
    return it->second;
}

bool is_bridge_name(const std::string& name) {
    return name == "docker0" || name.rfind("br-", 0) == 0;
}

int link_index(KernelState& state, const std::string& name) {
    if (const Link* link = state.link_by_name(name)) return link->ifindex;
    Link link;
    link.ifindex = static_cast<int>(state.links.size()) + 1;
    link.name = name;
    link.kind = is_bridge_name(name) ? "bridge" : "";
    link.admin_up = link.carrier = true;
    link.operstate = "up";
    state.links.push_back(link);
    return link.ifindex;
}

}  // namespace

std::string read_fixture(const std::string& relative_path) {
    std::ifstream in(std::string(PATHWHY_FIXTURES_DIR) + "/" + relative_path);
    if (!in) throw std::runtime_error("fixture missing: " + relative_path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

KernelState kernel_state_from_ip_route(const std::string& text, std::uint32_t table) {
    KernelState state;
    link_index(state, "lo");
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        auto w = words(line);
        if (w.empty()) continue;
        Route route;
        route.table = table;
        std::size_t i = 0;
        if (auto type = route_type_keyword(w[0])) {
            route.type = *type;
            ++i;
        }
        auto prefix = Ipv4Cidr::parse(w.at(i++));
        if (!prefix) throw std::runtime_error("fixture: bad prefix in: " + line);
        route.destination = prefix->network();
        for (; i < w.size(); ++i) {
            const std::string& key = w[i];
            auto value = [&]() -> const std::string& { return w.at(++i); };
            if (key == "via") route.gateway = must_address(value());
            else if (key == "dev") route.oif = link_index(state, value());
            else if (key == "proto") route.protocol = protocol_number(value());
            else if (key == "scope") route.scope = scope_number(value());
            else if (key == "src") route.prefsrc = must_address(value());
            else if (key == "metric") route.metric = static_cast<std::uint32_t>(std::stoul(value()));
            else if (key == "linkdown") route.linkdown = true;
            else if (key == "onlink") continue;
            else throw std::runtime_error("fixture: unknown route word '" + key + "' in: " + line);
        }
        if (route.linkdown)
            for (auto& link : state.links)
                if (link.ifindex == route.oif) link.carrier = false;
        if (route.prefsrc && route.protocol == 2)
            state.addresses.push_back({route.oif, {*route.prefsrc, route.destination.length}, "", 0});
        state.routes.push_back(route);
    }
    return state;
}

DockerState docker_state_from_network_ls(const std::string& text, const KernelState& kernel) {
    DockerState docker;
    docker.status = DockerStatus::ok;
    docker.endpoint = "unix:///var/run/docker.sock";
    std::istringstream lines(text);
    std::string header;
    std::getline(lines, header);
    for (std::string line; std::getline(lines, line);) {
        auto w = words(line);
        if (w.size() < 4) continue;
        DockerNetwork network;
        network.id = w[0];
        network.name = w[1];
        network.driver = w[2];
        network.scope = w[3];
        if (network.name == "bridge") network.options[kBridgeNameOption] = "docker0";
        const std::string suffix = "_default";
        if (network.name.size() > suffix.size() &&
            network.name.compare(network.name.size() - suffix.size(), suffix.size(), suffix) == 0) {
            network.labels[kComposeProjectLabel] =
                network.name.substr(0, network.name.size() - suffix.size());
            network.labels[kComposeNetworkLabel] = "default";
        }
        if (network.driver == "bridge")
            if (const Link* bridge = kernel.link_by_name(network.bridge_name()))
                for (const auto& route : kernel.routes)
                    if (route.oif == bridge->ifindex)
                        network.ipam.push_back({route.destination, route.prefsrc, std::nullopt});
        docker.networks.push_back(network);
    }
    return docker;
}

Snapshot two_lans_snapshot() {
    Snapshot snapshot;
    snapshot.kernel = kernel_state_from_ip_route(
        "default via 172.18.2.129 dev uplink\n"
        "172.31.0.0/16 dev lan1 proto kernel scope link src 172.31.0.1\n"
        "192.168.0.0/20 dev lan0 proto kernel scope link src 192.168.0.1\n");
    return snapshot;
}

Snapshot seed000_snapshot() {
    Snapshot snapshot;
    snapshot.taken_at_unix = 1667379260;  // 2022-11-02T08:54:20Z, the seed's date
    snapshot.kernel = kernel_state_from_ip_route(read_fixture("seed000/ip_route.txt"));
    snapshot.docker =
        docker_state_from_network_ls(read_fixture("seed000/docker_network_ls.txt"), snapshot.kernel);
    return snapshot;
}

}  // namespace pathwhy::test
