// Scenario 004 (seed 004): a team brings its compose project up and down again and again; Docker
// 20.10's rotating pool cursor hands every `up` the next /16 even though the last one was freed,
// until the project's network lands on 172.31.0.0/16 — the maintenance VPC that the bastion (the
// lab peer, 172.31.151.55) connects from. The bastion's packets arrive, the host's replies go into
// the bridge, and ssh hangs. The cycles are lab/seed004.h's; this file adds the seed's own fix.
#include <fmt/format.h>

#include "common/error.h"
#include "lab/seed004.h"
#include "scenario/seeds.h"

namespace pathwhy::scenario {
namespace {

// The seed's daemon.json fix: pools clear of the VPC, in /24s.
lab::AddressPool healed_pool() { return {"192.168.0.0/16", 24}; }

class UpDownCycles : public Incident {
  public:
    void up(lab::Lab&) override {}

    std::vector<std::string> break_incident(lab::Lab& lab) override {
        seed_ = lab::cycle_until_collision(lab);
        const lab::LabNetwork& network = seed_.colliding_network();
        return {network.name, network.bridge(), network.project};
    }

    // pathwhy's "prevent", the pools way: down, dockerd restarted with the new pools (existing
    // networks would keep their subnets), up again.
    void heal(lab::Lab& lab) override {
        lab::seed004_down(lab, seed_.stack);
        lab::DockerdOptions dockerd;
        dockerd.default_address_pools = {healed_pool()};
        lab.restart_dockerd(dockerd);
        seed_.stack = lab::seed004_up(lab, seed_.project);
        const Ipv4Cidr pool = *Ipv4Cidr::parse(healed_pool().base);
        if (!pool.contains(seed_.stack.network.subnet))
            throw Error("heal seed 004", fmt::format("Docker gave {} {} outside the pool {}",
                                                     seed_.stack.network.name,
                                                     seed_.stack.network.subnet.str(), pool.str()));
    }

    ProbeResult probe(const lab::Lab& lab) const override {
        return ping(lab.peer(), lab_host_address(), lab::seed004_bastion());
    }

  private:
    lab::Seed004 seed_;
};

}  // namespace

Scenario up_down_cycles_scenario() {
    const Ipv4Address bastion = lab::seed004_bastion();
    return {
        .id = "004",
        .title = "compose up/down cycles walk into the bastion's VPC 172.31.0.0/16",
        .destination = bastion.str(),
        .finding_kind = "route-into-docker-bridge",
        .breaks =
            "the shop project goes up and down until Docker's rotating cursor hands its "
            "network 172.31.0.0/16, the bastion's VPC",
        .heals =
            "the seed's fix: default-address-pools 192.168.0.0/16 in /24s, dockerd restarted, "
            "the project up again",
        .symptom = "the bastion (172.31.151.55) pings the host, as its ssh did",
        .dockerd = {},
        .make = [] { return std::make_unique<UpDownCycles>(); },
    };
}

}  // namespace pathwhy::scenario
