#include "support/conntrack_fixture.h"

#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>

#include <sstream>
#include <stdexcept>

#include "docker/daemon_config.h"
#include "docker/engine_json.h"
#include "model/conntrack_entry.h"
#include "support/seed_fixture.h"

namespace pathwhy::test {

namespace {

std::optional<std::uint8_t> tcp_state_named(const std::string& word) {
    for (std::uint8_t state = 0; state < TCP_CONNTRACK_MAX; ++state)
        if (tcp_conntrack_state_name(state) == word) return state;
    return std::nullopt;
}

ConntrackEntry entry_from_line(const std::string& line, std::int64_t taken_at_unix) {
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string word; in >> word;) words.push_back(word);
    std::size_t i = 0;
    if (words.size() > 2 && words[0] == "ipv4") i = 2;  // -o extended: "ipv4 2"
    ConntrackEntry entry;
    entry.status = IPS_CONFIRMED | IPS_SEEN_REPLY;
    const auto protocol = static_cast<std::uint8_t>(std::stoi(words.at(i + 1)));
    entry.original.protocol = entry.reply.protocol = protocol;
    entry.timeout_seconds = static_cast<std::uint32_t>(std::stoul(words.at(i + 2)));
    i += 3;
    if (auto state = tcp_state_named(words.at(i))) {
        entry.tcp_state = *state;
        ++i;
    }
    FlowTuple* tuple = nullptr;
    std::optional<ConntrackCounters>* counters = nullptr;
    for (; i < words.size(); ++i) {
        const std::string& word = words[i];
        if (word == "[UNREPLIED]") entry.status &= ~IPS_SEEN_REPLY;
        if (word == "[ASSURED]") entry.status |= IPS_ASSURED;
        const auto equals = word.find('=');
        if (equals == std::string::npos) continue;
        const std::string key = word.substr(0, equals), value = word.substr(equals + 1);
        if (key == "src") {
            const bool first = tuple == nullptr;
            tuple = first ? &entry.original : &entry.reply;
            counters = first ? &entry.counters_original : &entry.counters_reply;
            tuple->source = *Ipv4Address::parse(value);
        } else if (key == "dst") {
            tuple->destination = *Ipv4Address::parse(value);
        } else if (key == "sport") {
            tuple->source_port = static_cast<std::uint16_t>(std::stoul(value));
        } else if (key == "dport") {
            tuple->destination_port = static_cast<std::uint16_t>(std::stoul(value));
        } else if (key == "packets") {
            counters->emplace().packets = std::stoull(value);
        } else if (key == "bytes") {
            (*counters)->bytes = std::stoull(value);
        } else if (key == "mark") {
            entry.mark = static_cast<std::uint32_t>(std::stoul(value));
        } else if (key == "zone") {
            entry.zone = static_cast<std::uint16_t>(std::stoul(value));
        } else if (key == "id") {
            entry.id = static_cast<std::uint32_t>(std::stoul(value));
        } else if (key == "delta-time") {
            entry.started_unix_ns = (taken_at_unix - std::stoll(value)) * 1'000'000'000;
        }
    }
    if (!tuple) throw std::runtime_error("fixture: no tuples in: " + line);
    if (entry.destination_translated()) entry.status |= IPS_DST_NAT;
    return entry;
}

}  // namespace

std::vector<ConntrackEntry> conntrack_entries_from_listing(const std::string& text,
                                                           std::int64_t taken_at_unix) {
    std::vector<ConntrackEntry> entries;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
        if (line.find("src=") != std::string::npos)
            entries.push_back(entry_from_line(line, taken_at_unix));
    return entries;
}

Snapshot seed003_snapshot(const std::string& name, const std::string& listing) {
    const std::string dir = "conntrack/" + name + "/";
    Snapshot snapshot;
    snapshot.netns = "pw-lab";
    snapshot.taken_at_unix = std::stoll(read_fixture(dir + "taken_at.txt"));
    snapshot.kernel = kernel_state_from_ip_route(read_fixture(dir + "ip_route.txt"));
    DockerState& docker = snapshot.docker;
    docker.status = DockerStatus::ok;
    docker.endpoint = "unix:///tmp/pathwhy-lab/docker.sock";
    docker.server_version = parse_version_json(read_fixture(dir + "version.json")).version;
    docker.networks = parse_network_list_json(read_fixture(dir + "networks.json"));
    docker.containers = parse_container_list_json(read_fixture(dir + "containers.json"));
    docker.daemon_config = parse_daemon_config(read_fixture(dir + "daemon.json"), "daemon.json");
    snapshot.conntrack = ConntrackTable{
        "", conntrack_entries_from_listing(read_fixture(dir + listing), snapshot.taken_at_unix)};
    return snapshot;
}

}  // namespace pathwhy::test
