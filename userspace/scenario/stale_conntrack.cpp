// Scenario 003 (seed 003): a container publishing UDP 8888 gets a steady stream from the peer;
// it is redeployed onto a new compose network with a new address while the stream goes on, and
// the stream keeps following a conntrack entry that no longer matches Docker's NAT, so the new
// container gets nothing. The lab is lab/seed003.h's, in the form Debian's Docker 20.10 really
// produces (an entry without NAT, made in the redeploy's gap), with the userland proxy off so
// that the stream lands nowhere — as the seed's packets did — instead of in docker-proxy. An
// engine that flushes UDP entries by host port (23.0+, so the labs' 26.1) removes the gap entry
// when the new container starts: there the incident cannot happen, and the redeploy must leave a
// healthy port.
#include <fmt/format.h>

#include "explain/docker_engine_facts.h"
#include "lab/seed003.h"
#include "scenario/seeds.h"

namespace pathwhy::scenario {
namespace {

// How long the probe waits for the stream (20 datagrams/s) to reach the current container.
constexpr std::chrono::seconds kStreamWait{3};

class StaleConntrack : public Incident {
  public:
    void up(lab::Lab& lab) override {
        seed_.emplace(lab);
        seed_->up();
    }

    std::vector<std::string> break_incident(lab::Lab& lab) override {
        const std::string& version = lab.dockerd().server_version();
        const bool flushes =
            docker_flushes_udp_host_port(version, lab::kSeed003Port, lab::kSeed003Port)
                .value_or(false);
        if (flushes)
            prevented_ = fmt::format(
                "{} flushes UDP conntrack entries for host port {} when the new container starts",
                docker_engine_name(version), lab::kSeed003Port);
        seed_->redeploy(flushes ? lab::GapEntry::flushed : lab::GapEntry::kept);
        const lab::LabContainer& app = seed_->current().app;
        return {app.name, app.ip.str()};
    }

    std::optional<std::string> prevented() const override { return prevented_; }

    // What pathwhy's fix deletes, the way users know it: every entry of the port (Seed003::heal),
    // a superset of the one stale entry that `pathwhy :8888/udp --fix` would delete.
    void heal(lab::Lab&) override { seed_->heal(); }

    ProbeResult probe(const lab::Lab&) const override {
        const std::size_t before = seed_->received_from_sender();
        const bool works = seed_->wait_for_sender_datagrams(before, kStreamWait);
        const lab::LabContainer& app = seed_->current().app;
        return {works,
                {fmt::format("{} ({}) {} datagrams from the stream {}:{} within {} s", app.name,
                             app.ip.str(), works ? "receives" : "receives no",
                             seed_->sender().str(), lab::kSeed003SenderPort, kStreamWait.count())}};
    }

  private:
    std::optional<lab::Seed003> seed_;
    std::optional<std::string> prevented_;
};

}  // namespace

Scenario stale_conntrack_scenario() {
    lab::DockerdOptions dockerd;
    dockerd.userland_proxy = false;
    return {
        .id = "003",
        .title =
            "a redeployed UDP service gets nothing: the stream follows a stale conntrack entry",
        .destination = fmt::format(":{}/udp", lab::kSeed003Port),
        .finding_kind = "stale-conntrack",
        .breaks =
            "the app publishing 8888/udp is redeployed onto a new network while the peer's "
            "stream goes on; before Docker 23.0 the stream's conntrack entry keeps missing the "
            "new DNAT",
        .heals =
            "conntrack -D -p udp --orig-port-dst 8888: the stale entry goes with the port's "
            "others",
        .symptom = "the new container's receiver counts the peer's datagrams",
        .dockerd = dockerd,
        .make = [] { return std::make_unique<StaleConntrack>(); },
    };
}

}  // namespace pathwhy::scenario
