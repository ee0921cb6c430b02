// Building the seed-000 topology and driving its dockerd.
#include "lab/lab.h"

#include <fmt/format.h>

#include <sstream>

#include "common/error.h"
#include "common/interrupt.h"
#include "lab/busybox_image.h"
#include "lab/stale_labs.h"

namespace pathwhy::lab {
namespace {

std::string trimmed(const std::string& text) {
    const auto start = text.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) return {};
    return text.substr(start, text.find_last_not_of(" \t\r\n") - start + 1);
}

std::vector<std::string> label_args(const Labels& labels) {
    std::vector<std::string> args;
    for (const auto& [key, value] : labels) {
        args.push_back("--label");
        args.push_back(key + "=" + value);
    }
    return args;
}

}  // namespace

Lab::Lab(LabOptions options) : options_(std::move(options)) {
    step("removing labs left behind by crashed runs");
    for (const auto& problem : reap_stale_labs().problems)
        fmt::print(stderr, "pathwhy: stale lab: {}\n", problem);
    // Numbered after the reap, which thereby also clears a crashed run's leftovers that carry
    // our own pid and this very number.
    id_ = next_lab_id();

    step("creating namespaces");
    host_.emplace(namespace_name(id_, kHostRole));
    peer_.emplace(namespace_name(id_, kPeerRole));

    step("wiring the uplink");
    const std::string uplink(kUplink), peer_link(kPeerLink);
    connect_veth(*host_, uplink, *peer_, peer_link);
    host_->ip({"addr", "add", std::string(kUplinkAddress), "dev", uplink});
    peer_->ip({"addr", "add", std::string(kPeerLinkAddress), "dev", peer_link});
    peer_->ip({"addr", "add", std::string(kPeerServiceAddress) + "/32", "dev", "lo"});
    host_->ip({"route", "add", "default", "via", std::string(kPeerGateway), "dev", uplink});

    step("starting dockerd");
    dockerd_.emplace(*host_, lab_dir(id_), options_.dockerd);
}

void Lab::step(std::string_view what) const {
    throw_if_interrupted(fmt::format("set up the lab ({})", what));
    if (options_.on_step) options_.on_step(what);
}

std::string Lab::docker(const std::vector<std::string>& args) const {
    return dockerd_->docker(args);
}

LabNetwork Lab::create_compose_network(const std::string& project, std::optional<Ipv4Cidr> subnet) {
    std::vector<std::string> args{"network", "create"};
    const auto labels = label_args(compose_network_labels(project));
    args.insert(args.end(), labels.begin(), labels.end());
    if (subnet) args.insert(args.end(), {"--subnet", subnet->str()});
    args.push_back(project + "_default");
    docker(args);
    return inspect_network(project + "_default");
}

LabNetwork Lab::inspect_network(const std::string& name) const {
    // One line: id, project label, then every IPAM subnet (IPv6 ones fail to parse and are
    // skipped). "<no value>" is what the template prints for a missing label.
    const std::string line = docker(
        {"network", "inspect", "--format",
         R"({{.Id}} {{index .Labels "com.docker.compose.project"}} {{range .IPAM.Config}}{{.Subnet}} {{end}})",
         name});
    std::istringstream fields(line);
    LabNetwork network;
    network.name = name;
    fields >> network.id >> network.project;
    if (network.project == "<no value>") network.project.clear();
    std::optional<Ipv4Cidr> subnet;
    for (std::string field; !subnet && fields >> field;) subnet = Ipv4Cidr::parse(field);
    if (network.id.size() != 64 || !subnet)
        throw Error("inspect network " + name, "unexpected answer: " + trimmed(line));
    network.subnet = *subnet;
    return network;
}

void Lab::remove_network(const std::string& name) { docker({"network", "rm", name}); }

LabContainer Lab::run_container(const std::string& name, const std::string& network,
                                const Labels& labels, const ContainerOptions& options) {
    if (!image_imported_) {
        step("importing the busybox image");
        import_busybox_image(*dockerd_);
        image_imported_ = true;
    }
    std::vector<std::string> args{"run", "--detach", "--name", name, "--network", network};
    const auto label_list = label_args(labels);
    args.insert(args.end(), label_list.begin(), label_list.end());
    for (const auto& publish : options.publish) args.insert(args.end(), {"--publish", publish});
    for (const auto& volume : options.volumes) args.insert(args.end(), {"--volume", volume});
    args.push_back(std::string(kBusyboxImage));
    args.insert(args.end(), options.command.begin(), options.command.end());
    LabContainer container;
    container.name = name;
    container.id = trimmed(docker(args));
    const std::string ip = trimmed(
        docker({"inspect", "--format",
                fmt::format(R"({{{{(index .NetworkSettings.Networks "{}").IPAddress}}}})", network),
                name}));
    const auto address = Ipv4Address::parse(ip);
    if (!address)
        throw Error("find the address of container " + name, "docker inspect said '" + ip + "'");
    container.ip = *address;
    return container;
}

void Lab::remove_container(const std::string& name) { docker({"rm", "--force", name}); }

void Lab::restart_dockerd(const DockerdOptions& options) {
    step("restarting dockerd");
    dockerd_->restart(*host_, options);
}

LabFootprint Lab::footprint() const {
    LabFootprint footprint;
    footprint.namespaces = {namespace_name(id_, kHostRole), namespace_name(id_, kPeerRole)};
    footprint.dir = lab_dir(id_);
    if (dockerd_) {
        footprint.pids.push_back(dockerd_->pid());
        if (dockerd_->containerd_pid()) footprint.pids.push_back(dockerd_->containerd_pid());
    }
    return footprint;
}

}  // namespace pathwhy::lab
