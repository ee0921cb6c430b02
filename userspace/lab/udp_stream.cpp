#include "lab/udp_stream.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace pathwhy::lab {

namespace {

constexpr const char* kToolInContainer = "/pathwhy-lab-udp";
// The container outlives no lab; the bound only keeps a lost receiver from running forever.
constexpr const char* kReceiveSeconds = "3600";

}  // namespace

std::string udp_tool_path() { return PATHWHY_LAB_UDP_TOOL; }

UdpSender::UdpSender(const Lab& lab, const UdpStreamOptions& options, const std::string& log_path)
    : process_(
          lab.peer().exec_argv({udp_tool_path(), "send", options.to.str(),
                                std::to_string(options.port), std::to_string(options.source_port),
                                std::to_string(options.rate), std::to_string(options.count)}),
          log_path, std::chrono::seconds(2)) {}

ContainerOptions udp_receiver_container(const std::string& dir, std::uint16_t port) {
    std::filesystem::create_directories(dir);
    ContainerOptions options;
    options.volumes = {udp_tool_path() + ":" + kToolInContainer + ":ro", dir + ":/rx"};
    options.command = {kToolInContainer, "receive", std::to_string(port), "/rx/received",
                       kReceiveSeconds};
    return options;
}

std::string udp_receiver_log(const std::string& dir) { return dir + "/received"; }

std::vector<Datagram> received_datagrams(const std::string& log) {
    std::vector<Datagram> datagrams;
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        std::string source;
        Datagram datagram;
        if (!(fields >> source >> datagram.source_port >> datagram.seq)) continue;
        auto address = Ipv4Address::parse(source);
        if (!address) continue;
        datagram.source = *address;
        datagrams.push_back(datagram);
    }
    return datagrams;
}

}  // namespace pathwhy::lab
