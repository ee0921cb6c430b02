// Scenario 000 (seed 000): a CI runner's leaked compose networks walk Docker's default pools up to
// 172.31.0.0/16, where the peered VPC's service 172.31.151.55 lives; the current job's container
// keeps that bridge up and the runner can no longer reach the service. The walk itself is
// build_seed000 (lab/seed000.h); the base lab already is seed 000's runner and peer.
#include "lab/seed000.h"
#include "scenario/seeds.h"

namespace pathwhy::scenario {
namespace {

class LeakedNetworks : public Incident {
  public:
    void up(lab::Lab&) override {}

    std::vector<std::string> break_incident(lab::Lab& lab) override {
        seed_ = lab::build_seed000(lab);
        const lab::LabNetwork& culprit = seed_.swallowing_network();
        return {culprit.name, culprit.bridge(), culprit.project};
    }

    // pathwhy's "fix now" for a compose network that still has an endpoint.
    void heal(lab::Lab& lab) override {
        const lab::LabNetwork& culprit = seed_.swallowing_network();
        lab.docker({"network", "disconnect", "--force", culprit.id, seed_.job.name});
        lab.remove_network(culprit.id);
    }

    ProbeResult probe(const lab::Lab& lab) const override {
        return ping(lab.host(), lab::seed000_peer());
    }

  private:
    lab::Seed000 seed_;
};

}  // namespace

Scenario leaked_networks_scenario() {
    const Ipv4Address peer = lab::seed000_peer();
    return {
        .id = "000",
        .title = "leaked compose networks walk Docker's pools into a peered VPC's 172.31.0.0/16",
        .destination = peer.str(),
        .finding_kind = "route-into-docker-bridge",
        .breaks =
            "CI jobs leave their compose networks behind until one gets 172.31.0.0/16, "
            "with the current job's container on it",
        .heals = "pathwhy's fix: disconnect the job's container from that network and remove it",
        .symptom = "the runner pings the VPC peer (the seed's curl said \"No route to host\")",
        .dockerd = {},
        .make = [] { return std::make_unique<LeakedNetworks>(); },
    };
}

}  // namespace pathwhy::scenario
