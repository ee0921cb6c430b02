// Scenario 002 (seed 002): a Nexus registry moved into Docker on a host whose clients sit in an
// AWS VPC subnet inside 172.17.0.0/16 (here: the lab peer's 172.17.3.20). The daemon's own bridge
// had been moved away with "bip" (the seed's daemon.json), so the registry's compose network got
// the first default pool, 172.17.0.0/16: the clients' requests arrive, the registry's replies go
// into the bridge, and image pulls time out. Compose's up and down are lab/seed004.h's.
#include <fmt/format.h>

#include "common/error.h"
#include "lab/compose_labels.h"
#include "lab/seed004.h"
#include "scenario/seeds.h"

namespace pathwhy::scenario {
namespace {

constexpr const char* kProject = "nexus";

Ipv4Address vpc_client() { return *Ipv4Address::parse("172.17.3.20"); }
// The seed's own fix: the compose file pins the network's subnet (ipam).
Ipv4Cidr pinned_subnet() { return *Ipv4Cidr::parse("192.168.6.0/24"); }

class VpcRangeBridge : public Incident {
  public:
    void up(lab::Lab& lab) override {
        lab.peer().ip({"addr", "add", vpc_client().str() + "/32", "dev", "lo"});
    }

    std::vector<std::string> break_incident(lab::Lab& lab) override {
        nexus_ = lab::seed004_up(lab, kProject);
        const lab::LabNetwork& network = nexus_.network;
        if (!network.subnet.contains(vpc_client()))
            throw Error("reproduce seed 002",
                        fmt::format("Docker gave {} {}, which does not cover the VPC client {}",
                                    network.name, network.subnet.str(), vpc_client().str()));
        return {network.name, network.bridge(), network.project};
    }

    // pathwhy's "prevent", compose's way: the project comes back on a subnet pinned clear of
    // the VPC.
    void heal(lab::Lab& lab) override {
        lab::seed004_down(lab, nexus_);
        const lab::LabNetwork network = lab.create_compose_network(kProject, pinned_subnet());
        lab.run_container(nexus_.app.name, network.name,
                          lab::compose_container_labels(kProject, "app", 1));
    }

    ProbeResult probe(const lab::Lab& lab) const override {
        return ping(lab.peer(), lab_host_address(), vpc_client());
    }

  private:
    lab::Seed004Stack nexus_;
};

}  // namespace

Scenario vpc_range_bridge_scenario() {
    lab::DockerdOptions dockerd;
    dockerd.bip = "192.168.1.5/24";
    return {
        .id = "002",
        .title = "a registry's compose network takes the VPC's 172.17.0.0/16: replies are lost",
        .destination = vpc_client().str(),
        .finding_kind = "route-into-docker-bridge",
        .breaks =
            "`docker-compose up` of the nexus project: with docker0 moved by \"bip\", "
            "Docker hands its network 172.17.0.0/16, where the VPC's clients are",
        .heals =
            "the compose file pins the network to 192.168.6.0/24 (ipam) and the project "
            "comes up again",
        .symptom = "a VPC client (172.17.3.20) pings the registry host",
        .dockerd = dockerd,
        .make = [] { return std::make_unique<VpcRangeBridge>(); },
    };
}

}  // namespace pathwhy::scenario
