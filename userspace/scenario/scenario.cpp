// The probe most seed scenarios use: one ping, in whichever direction the incident loses packets.
#include "scenario/scenario.h"

#include <sstream>

namespace pathwhy::scenario {

Ipv4Address lab_host_address() { return Ipv4Cidr::parse(lab::kUplinkAddress)->address; }

std::vector<std::string> ping_argv(Ipv4Address destination, std::optional<Ipv4Address> source) {
    std::vector<std::string> argv{"busybox", "ping", "-c", "1", "-W", "2"};
    if (source) argv.insert(argv.end(), {"-I", source->str()});
    argv.push_back(destination.str());
    return argv;
}

ProbeResult ping(const lab::LabNamespace& from, Ipv4Address destination,
                 std::optional<Ipv4Address> source) {
    const auto argv = ping_argv(destination, source);
    RunOptions bounded;
    bounded.timeout = std::chrono::seconds(10);
    const ProcessResult result = from.exec(argv, bounded);
    ProbeResult probe{result.ok(), {"$ " + display_command(from.exec_argv(argv))}};
    std::istringstream output(result.out + result.err);
    for (std::string line; std::getline(output, line);)
        if (!line.empty()) probe.shown.push_back(line);
    return probe;
}

}  // namespace pathwhy::scenario
