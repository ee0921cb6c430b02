// Building seed 003's redeploys and checking, through conntrack's own listing, that the lab
// really reproduced the incident before a test asks pathwhy about it.
#include "lab/seed003.h"

#include <fmt/format.h>

#include <sstream>

#include "common/error.h"
#include "common/slowdown.h"
#include "lab/compose_labels.h"
#include "lab/peer_connections.h"

namespace pathwhy::lab {
namespace {

constexpr const char* kProject = "seed003";
constexpr const char* kApp = "seed003-app-1";
// Scaled by PATHWHY_LAB_SLOWDOWN in poll_until().
constexpr std::chrono::seconds kLabTimeout{10};

std::string publish_flag() { return fmt::format("{0}:{0}/udp", kSeed003Port); }

// The second "src=" of a `conntrack -L` line: the reply tuple's source.
std::optional<Ipv4Address> reply_source(const std::string& line) {
    const auto first = line.find("src=");
    if (first == std::string::npos) return std::nullopt;
    const auto second = line.find("src=", first + 4);
    if (second == std::string::npos) return std::nullopt;
    const auto start = second + 4;
    return Ipv4Address::parse(line.substr(start, line.find(' ', start) - start));
}

template <typename Done>
bool poll_until(Done done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + scaled_timeout(timeout);
    for (;;) {
        if (done()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        pause_between_polls();
    }
}

}  // namespace

Seed003::Seed003(Lab& lab) : lab_(lab) {}

Seed003::~Seed003() = default;

Ipv4Address Seed003::host_address() const { return Ipv4Cidr::parse(kUplinkAddress)->address; }

Ipv4Address Seed003::sender() const { return *Ipv4Address::parse(kPeerGateway); }

Seed003Deployment Seed003::deploy(const std::string& network, int number) {
    Seed003Deployment deployment;
    deployment.network = network;
    deployment.receiver_dir = fmt::format("{}/seed003-rx-{}", lab_.dockerd().dir(), number);
    ContainerOptions options = udp_receiver_container(deployment.receiver_dir, kSeed003Port);
    options.publish = {publish_flag()};
    deployment.app =
        lab_.run_container(kApp, network, compose_container_labels(kProject, "app", 1), options);
    return deployment;
}

void Seed003::start_stream() {
    UdpStreamOptions stream;
    stream.to = host_address();
    stream.port = kSeed003Port;
    stream.source_port = kSeed003SenderPort;
    sender_ = std::make_unique<UdpSender>(
        lab_, stream, fmt::format("{}/seed003-sender-{}.log", lab_.dockerd().dir(), ++streams_));
}

void Seed003::up() {
    // Per namespace, and this one is the lab's: the machine's own settings stay untouched.
    // Without them the diagnosis only lacks the entries' age and packet counts: not checked.
    lab_.host().exec({"sysctl", "-q", "-w", "net.netfilter.nf_conntrack_timestamp=1",
                      "net.netfilter.nf_conntrack_acct=1"});
    old_ = deploy("bridge", 1);
    start_stream();
    if (!wait_for_sender_datagrams(0, kLabTimeout))
        throw Error("reproduce seed 003", fmt::format("{} received nothing from {} in {} s", kApp,
                                                      sender().str(), kLabTimeout.count()));
}

std::optional<Ipv4Address> Seed003::stream_nat_target() const {
    const auto listed = lab_.host().exec(
        {"conntrack", "-L", "-p", "udp", "--orig-src", sender().str(), "--orig-port-src",
         std::to_string(kSeed003SenderPort), "--orig-port-dst", std::to_string(kSeed003Port)});
    std::istringstream lines(listed.out);
    for (std::string line; std::getline(lines, line);)
        if (auto target = reply_source(line)) return target;
    return std::nullopt;
}

void Seed003::wait_for_stream_nat(Ipv4Address target, const std::string& what) const {
    if (!poll_until([&] { return stream_nat_target() == target; }, kLabTimeout)) {
        const auto now = stream_nat_target();
        throw Error("reproduce seed 003",
                    fmt::format("the stream's conntrack entry should {}, but it sends to {}", what,
                                now ? now->str() : "nothing (no entry)"));
    }
}

void Seed003::redeploy(GapEntry expected) {
    lab_.remove_container(kApp);
    // The gap: no DNAT rule for 8888/udp exists now, and the next datagram makes an entry
    // without NAT — waited for, so the incident does not hang on the stream's timing.
    wait_for_stream_nat(host_address(), "have no NAT while no container publishes the port");
    lab_.create_compose_network(kProject, Ipv4Cidr::parse("172.18.0.0/24"));
    current_ = deploy(std::string(kProject) + "_default", 2);
    if (expected == GapEntry::kept) {
        wait_for_stream_nat(host_address(), "keep its missing NAT after the new container started");
        return;
    }
    wait_for_stream_nat(current_->app.ip, "DNAT to the new container once the engine flushed it");
    if (!wait_for_sender_datagrams(0, kLabTimeout))
        throw Error("redeploy seed 003", fmt::format("the new {} received nothing from {} in {} s",
                                                     kApp, sender().str(), kLabTimeout.count()));
}

void Seed003::redeploy_holding_old_nat() {
    sender_.reset();
    lab_.remove_container(kApp);
    lab_.create_compose_network(kProject, Ipv4Cidr::parse("172.18.0.0/24"));
    current_ = deploy(std::string(kProject) + "_default", 2);
    const std::string old_target = fmt::format("{}:{}", old_->app.ip.str(), kSeed003Port);
    lab_.host().exec({"conntrack", "-D", "-p", "udp", "--orig-port-dst",
                      std::to_string(kSeed003Port)});  // none expected; exit 1 then
    const auto inserted = lab_.host().exec(
        {"conntrack", "-I", "-p", "udp", "-s", sender().str(), "-d", host_address().str(),
         "--sport", std::to_string(kSeed003SenderPort), "--dport", std::to_string(kSeed003Port),
         "--dst-nat", old_target, "--timeout", "120", "--status", "SEEN_REPLY,ASSURED"});
    if (!inserted.ok())
        throw Error("reproduce seed 003", "conntrack -I of the old entry: " + inserted.failure());
    start_stream();
    wait_for_stream_nat(old_->app.ip, "still DNAT to the old container once the stream resumed");
}

void Seed003::heal() {
    const std::size_t before = received_from_sender();
    lab_.host().exec(
        {"conntrack", "-D", "-p", "udp", "--orig-port-dst", std::to_string(kSeed003Port)});
    if (!wait_for_sender_datagrams(before, kLabTimeout))
        throw Error("heal seed 003", fmt::format("{} still gets nothing from {} after the flush",
                                                 kApp, sender().str()));
}

std::size_t Seed003::received_from_sender() const {
    std::size_t count = 0;
    for (const Datagram& datagram : received_datagrams(udp_receiver_log(current().receiver_dir)))
        if (datagram.source == sender()) ++count;
    return count;
}

bool Seed003::wait_for_sender_datagrams(std::size_t count,
                                        std::chrono::milliseconds timeout) const {
    return poll_until([&] { return received_from_sender() > count; }, timeout);
}

}  // namespace pathwhy::lab
