// Lab: the throwaway world `pathwhy demo`, the privileged tests and benchmarks run in — seed
// 000's runner, rebuilt from LAB.md. Two namespaces joined by a veth: "host" (the CI runner:
// uplink 172.18.2.172/26, default route via the peer, a real dockerd) and "peer" (the VPC side:
// 172.18.2.129/26 on peer0 and the peered service 172.31.151.55/32 on lo). Lab methods make
// compose-labelled networks and containers in it; scenarios (seed000.h) build incidents on top.
//
// The destructor removes everything in reverse order (containers, dockerd and its containerd,
// mounts, the data dir, the namespaces with their veths), also after a constructor that failed
// halfway, and never throws. Every step checks for Ctrl-C (common/interrupt.h).
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lab/compose_labels.h"
#include "lab/dockerd.h"
#include "lab/naming.h"
#include "lab/netns.h"
#include "model/ipv4.h"

namespace pathwhy::lab {

// Seed 000's addresses. The peer namespace has no default route: it has no other interface,
// so nothing sent into the lab can leave it.
inline constexpr std::string_view kUplink = "uplink";   // in the host namespace
inline constexpr std::string_view kPeerLink = "peer0";  // in the peer namespace
inline constexpr std::string_view kUplinkAddress = "172.18.2.172/26";
inline constexpr std::string_view kPeerLinkAddress = "172.18.2.129/26";
inline constexpr std::string_view kPeerGateway = "172.18.2.129";
inline constexpr std::string_view kPeerServiceAddress = "172.31.151.55";

struct LabOptions {
    DockerdOptions dockerd;
    // Told each setup step as it starts ("starting dockerd"), e.g. for the demo's progress lines.
    std::function<void(std::string_view step)> on_step;
};

struct LabNetwork {
    std::string id;  // 64 hex
    std::string name;
    std::string project;  // com.docker.compose.project, empty if none
    Ipv4Cidr subnet;

    std::string bridge() const { return "br-" + id.substr(0, 12); }
};

// What `docker run` gets beyond a name, a network and labels.
struct ContainerOptions {
    std::vector<std::string> publish;  // -p values: "8888:8888/udp"
    std::vector<std::string> volumes;  // -v values: "/lab/dir/rx:/rx"
    std::vector<std::string> command{"sleep", "3600"};
};

struct LabContainer {
    std::string id;
    std::string name;
    Ipv4Address ip;  // on the network it was started on
};

// What a lab has put on the machine, to check after teardown that none of it is left.
struct LabFootprint {
    std::vector<std::string> namespaces;
    std::string dir;
    std::vector<pid_t> pids;  // dockerd and its containerd
};

class Lab {
  public:
    // Reaps stale labs, builds the namespaces and veth, starts dockerd in the host namespace.
    explicit Lab(LabOptions options = {});
    ~Lab() = default;
    Lab(const Lab&) = delete;
    Lab& operator=(const Lab&) = delete;

    const LabNamespace& host() const { return *host_; }
    const LabNamespace& peer() const { return *peer_; }
    const LabDockerd& dockerd() const { return *dockerd_; }
    std::string docker_host() const { return dockerd_->docker_host(); }
    // `docker -H ... ARGS`; stdout, throws Error on failure.
    std::string docker(const std::vector<std::string>& args) const;

    // `docker network create` named "<project>_default" with compose's labels; Docker picks the
    // subnet from its pools, as compose lets it, unless SUBNET pins it (compose's `ipam`).
    LabNetwork create_compose_network(const std::string& project,
                                      std::optional<Ipv4Cidr> subnet = std::nullopt);
    LabNetwork inspect_network(const std::string& name) const;
    void remove_network(const std::string& name);

    // `docker run -d --name NAME --network NETWORK --label ... [-p ...] [-v ...]
    // pw-busybox:latest COMMAND` (default `sleep 3600`), importing the busybox image on first use.
    LabContainer run_container(const std::string& name, const std::string& network,
                               const Labels& labels, const ContainerOptions& options = {});
    void remove_container(const std::string& name);

    // Restarts the lab's dockerd with new daemon.json settings (LabDockerd::restart).
    void restart_dockerd(const DockerdOptions& options);

    LabFootprint footprint() const;

  private:
    void step(std::string_view what) const;

    LabOptions options_;
    LabId id_;
    // Optional so that setup can go step by step; declared in setup order, so that they are
    // destroyed in reverse — including after a constructor that threw halfway.
    std::optional<LabNamespace> host_;
    std::optional<LabNamespace> peer_;
    std::optional<LabDockerd> dockerd_;
    bool image_imported_ = false;
};

}  // namespace pathwhy::lab
