// Walking Docker's address pools to 172.31.0.0/16, as seed 000's runner did over many CI jobs.
#include "lab/seed000.h"

#include <fmt/format.h>

#include "common/error.h"

namespace pathwhy::lab {
namespace {

// The seed's projects were "...-back-end-33" to "-47"; short names keep `docker network ls`
// readable.
constexpr int kFirstProject = 33;
constexpr int kMaxNetworks = 20;

}  // namespace

Ipv4Cidr seed000_swallowed_subnet() { return *Ipv4Cidr::parse("172.31.0.0/16"); }

Ipv4Address seed000_peer() { return *Ipv4Address::parse(kPeerServiceAddress); }

Seed000 build_seed000(Lab& lab) {
    const Ipv4Cidr target = seed000_swallowed_subnet();
    const Ipv4Cidr past_target = *Ipv4Cidr::parse("192.168.0.0/16");
    Seed000 seed;
    for (int n = 0; n < kMaxNetworks; ++n) {
        seed.networks.push_back(
            lab.create_compose_network(fmt::format("backend-{}", kFirstProject + n)));
        const LabNetwork& network = seed.networks.back();
        if (network.subnet == target) {
            seed.swallowing = seed.networks.size() - 1;
            const std::string project = network.project;
            seed.job = lab.run_container(project + "-app-1", network.name,
                                         compose_container_labels(project, "app", 1));
            return seed;
        }
        if (past_target.contains(network.subnet))
            throw Error("reproduce seed 000",
                        fmt::format("Docker gave {} {} without ever handing out {}", network.name,
                                    network.subnet.str(), target.str()),
                        "something else in the lab's host namespace overlaps 172.31.0.0/16");
    }
    throw Error("reproduce seed 000",
                fmt::format("{} networks created and none got {}", kMaxNetworks, target.str()));
}

}  // namespace pathwhy::lab
