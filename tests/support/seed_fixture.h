// Turns the seeds' own command output (ip route, docker network ls) into a Snapshot, so unit
// tests explain the real incident text rather than a hand-made model of it.
#pragma once

#include <string>

#include "model/snapshot.h"

namespace pathwhy::test {

std::string read_fixture(const std::string& relative_path);

// `ip route` output (one table) → routes, plus one link per device and the addresses that
// "src" on kernel routes implies. Devices named docker0 or br-* are bridges.
KernelState kernel_state_from_ip_route(const std::string& text, std::uint32_t table = kTableMain);

// `docker network ls` output → networks. The listing has no subnets or labels: the subnet is
// taken from the bridge's route in `kernel`, and "<project>_default" names get the compose
// labels that compose would have set.
DockerState docker_state_from_network_ls(const std::string& text, const KernelState& kernel);

// Seed 000 as the runner saw it on 2022-11-02.
Snapshot seed000_snapshot();

// No seed: a router between an uplink (ifindex 2, default via 172.18.2.129) and two LANs,
// lan1 172.31.0.0/16 (3) and lan0 192.168.0.0/20 (4), without Docker — nothing but the packets
// to explain.
Snapshot two_lans_snapshot();

}  // namespace pathwhy::test
