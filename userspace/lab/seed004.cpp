// Compose-like up/down cycles walking Docker's rotating pool cursor to the bastion's VPC.
#include "lab/seed004.h"

#include <fmt/format.h>

#include "common/error.h"
#include "common/interrupt.h"

namespace pathwhy::lab {
namespace {

constexpr int kMaxCycles = 20;

}  // namespace

Ipv4Cidr seed004_vpc() { return *Ipv4Cidr::parse("172.31.0.0/16"); }

Ipv4Address seed004_bastion() { return *Ipv4Address::parse(kPeerServiceAddress); }

Seed004Stack seed004_up(Lab& lab, const std::string& project) {
    Seed004Stack stack;
    stack.network = lab.create_compose_network(project);
    stack.app = lab.run_container(project + "-app-1", stack.network.name,
                                  compose_container_labels(project, "app", 1));
    return stack;
}

void seed004_down(Lab& lab, const Seed004Stack& stack) {
    lab.remove_container(stack.app.name);
    lab.remove_network(stack.network.name);
}

Seed004 cycle_until_collision(Lab& lab, const std::string& project,
                              const std::function<void(const Seed004Stack&)>& on_up) {
    const Ipv4Cidr vpc = seed004_vpc();
    const Ipv4Cidr past_vpc = *Ipv4Cidr::parse("192.168.0.0/16");
    Seed004 seed;
    seed.project = project;
    for (int cycle = 0; cycle < kMaxCycles; ++cycle) {
        throw_if_interrupted("reproduce seed 004");
        Seed004Stack stack = seed004_up(lab, project);
        seed.networks.push_back(stack.network);
        if (on_up) on_up(stack);
        if (stack.network.subnet == vpc) {
            seed.stack = std::move(stack);
            return seed;
        }
        seed004_down(lab, stack);
        if (past_vpc.contains(stack.network.subnet))
            throw Error("reproduce seed 004",
                        fmt::format("Docker gave {} {} without ever handing out {}",
                                    stack.network.name, stack.network.subnet.str(), vpc.str()),
                        "something else in the lab's host namespace overlaps 172.31.0.0/16");
    }
    throw Error("reproduce seed 004",
                fmt::format("{} up/down cycles and none got {}", kMaxCycles, vpc.str()));
}

}  // namespace pathwhy::lab
