// Scenario 001 (seed 001): an office reaches a server over a site-to-site VPN, so the server has
// a gateway route for the office's 192.168.0.0/16 via the VPN (here: via the lab peer, which holds
// the workstation 192.168.1.20). Docker only avoids link-scope routes, so once its pool cursor
// reaches 192.168.x, a `docker-compose up` takes 192.168.0.0/20: the office's packets still
// arrive, but the server's replies go into the new bridge and SSH "simply hangs".
//
// The daemon's pools are the tail of Docker's defaults (172.28-172.29 as /16s, then 192.168.0.0/16
// in /20s), so the walk past 172.x takes two networks instead of fifteen: docker0 gets 172.28, a
// long-running monitoring project 172.29, and the next project up gets the office's range.
// Compose's up and down are lab/seed004.h's: one project, one network, one container.
#include <fmt/format.h>

#include "common/error.h"
#include "lab/seed004.h"
#include "scenario/seeds.h"

namespace pathwhy::scenario {
namespace {

Ipv4Cidr office_range() { return *Ipv4Cidr::parse("192.168.0.0/16"); }
Ipv4Address workstation() { return *Ipv4Address::parse("192.168.1.20"); }

class VpnOfficeRange : public Incident {
  public:
    void up(lab::Lab& lab) override {
        lab.peer().ip({"addr", "add", workstation().str() + "/32", "dev", "lo"});
        lab.host().ip({"route", "add", office_range().str(), "via", std::string(lab::kPeerGateway),
                       "dev", std::string(lab::kUplink)});
        lab::seed004_up(lab, "monitoring");
    }

    std::vector<std::string> break_incident(lab::Lab& lab) override {
        gitlab_ = lab::seed004_up(lab, "gitlab");
        const lab::LabNetwork& network = gitlab_.network;
        if (!network.subnet.contains(workstation()))
            throw Error("reproduce seed 001",
                        fmt::format("Docker gave {} {}, which does not cover the office's {}",
                                    network.name, network.subnet.str(), workstation().str()));
        return {network.name, network.bridge(), network.project};
    }

    // pathwhy's "fix now": the project's network goes (`docker compose down`).
    void heal(lab::Lab& lab) override { lab::seed004_down(lab, gitlab_); }

    ProbeResult probe(const lab::Lab& lab) const override {
        return ping(lab.peer(), lab_host_address(), workstation());
    }

  private:
    lab::Seed004Stack gitlab_;
};

}  // namespace

Scenario vpn_office_range_scenario() {
    lab::DockerdOptions dockerd;
    dockerd.default_address_pools = {{"172.28.0.0/15", 16}, {"192.168.0.0/16", 20}};
    return {
        .id = "001",
        .title = "a compose network takes the office's VPN range: the office's replies vanish",
        .destination = workstation().str(),
        .finding_kind = "route-into-docker-bridge",
        .breaks =
            "`docker-compose up` of a gitlab project: Docker hands it 192.168.0.0/20, "
            "inside the office's 192.168.0.0/16 that the server reaches via the VPN",
        .heals = "pathwhy's fix: take the gitlab project's network down",
        .symptom = "the office workstation 192.168.1.20 pings the server over the VPN",
        .dockerd = dockerd,
        .make = [] { return std::make_unique<VpnOfficeRange>(); },
    };
}

}  // namespace pathwhy::scenario
