#include "support/trace_lab.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "common/error.h"
#include "common/process.h"
#include "kernel/netns.h"
#include "support/privileges.h"
#include "trace/test_refusals.h"

namespace pathwhy::test {

namespace {

sockaddr_in socket_address(const std::string& address, std::uint16_t port) {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    if (inet_pton(AF_INET, address.c_str(), &to.sin_addr) != 1)
        throw Error("parse " + address, "not an IPv4 address");
    return to;
}

class Socket {
  public:
    Socket(const lab::LabNamespace& ns, int type) {
        NetnsScope inside(ns.path());  // the socket stays in the namespace it was made in
        fd_ = socket(AF_INET, type | SOCK_CLOEXEC, 0);
        if (fd_ < 0) throw Error("open a socket in " + ns.name(), errno_text(errno));
    }
    ~Socket() { close(fd_); }
    int fd() const { return fd_; }

  private:
    int fd_ = -1;
};

}  // namespace

std::string trace_namespace_name(const std::string& tag) {
    return fmt::format("pw{}t{}", getpid(), tag);
}

std::uint32_t netns_inode_of(const lab::LabNamespace& ns) {
    struct stat status {};
    if (stat(ns.path().c_str(), &status) != 0) throw Error("stat " + ns.path(), errno_text(errno));
    return static_cast<std::uint32_t>(status.st_ino);
}

int ifindex_in(const lab::LabNamespace& ns, const std::string& device) {
    return std::stoi(ns.ip({"-o", "link", "show", device}));  // "7: uplink@if6: <...>"
}

RoutedLab::RoutedLab(const std::string& tag)
    : client(trace_namespace_name(tag + "c")),
      router(trace_namespace_name(tag + "r")),
      server(trace_namespace_name(tag + "s")) {
    lab::connect_veth(client, "c0", router, "r0");
    lab::connect_veth(router, "r1", server, "s0");
    client.ip({"addr", "add", std::string(kClient) + "/24", "dev", "c0"});
    router.ip({"addr", "add", std::string(kRouterClientSide) + "/24", "dev", "r0"});
    router.ip({"addr", "add", std::string(kRouterServerSide) + "/24", "dev", "r1"});
    server.ip({"addr", "add", std::string(kServer) + "/24", "dev", "s0"});
    client.ip({"route", "add", "default", "via", kRouterClientSide});
    server.ip({"route", "add", "default", "via", kRouterServerSide});
    // A sysctl of the router's namespace only: /proc/sys/net follows the writer's namespace.
    run_in(router, {"sysctl", "-q", "-w", "net.ipv4.ip_forward=1"});
}

bool ping(const lab::LabNamespace& ns, const std::string& destination) {
    RunOptions bounded;
    bounded.timeout = std::chrono::seconds(5);
    return ns.exec({"/bin/busybox", "ping", "-c", "1", "-W", "2", destination}, bounded).ok();
}

void run_in(const lab::LabNamespace& ns, const std::vector<std::string>& argv) {
    run_checked(ns.exec_argv(argv));
}

void send_udp(const lab::LabNamespace& ns, const std::string& destination, std::uint16_t port) {
    Socket udp(ns, SOCK_DGRAM);
    sockaddr_in to = socket_address(destination, port);
    const char payload[] = "pathwhy";
    if (sendto(udp.fd(), payload, sizeof payload, 0, reinterpret_cast<sockaddr*>(&to), sizeof to) <
        0)
        throw Error("send a UDP datagram to " + destination, errno_text(errno));
}

int connect_tcp(const lab::LabNamespace& ns, const std::string& destination, std::uint16_t port,
                std::chrono::seconds timeout) {
    Socket tcp(ns, SOCK_STREAM);
    timeval limit{static_cast<time_t>(timeout.count()), 0};
    setsockopt(tcp.fd(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    sockaddr_in to = socket_address(destination, port);
    return connect(tcp.fd(), reinterpret_cast<sockaddr*>(&to), sizeof to) == 0 ? 0 : errno;
}

void make_every_hook_run(const lab::LabNamespace& ns) {
    for (const char* chain : {"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"})
        run_in(ns, {"iptables", "-t", "mangle", "-A", chain});
}

RefusedMechanisms::RefusedMechanisms(const std::string& mechanisms) {
    if (const char* value = std::getenv(kTestRefuseVariable)) before_ = value;
    setenv(kTestRefuseVariable, mechanisms.c_str(), 1);
}

RefusedMechanisms::~RefusedMechanisms() {
    if (before_)
        setenv(kTestRefuseVariable, before_->c_str(), 1);
    else
        unsetenv(kTestRefuseVariable);
}

const std::vector<NetfilterMechanism>& netfilter_mechanisms() {
    static const std::vector<NetfilterMechanism> mechanisms{
        {"NetfilterLink", "", Attach::netfilter_link},
        {"Fentry", "netfilter_link", Attach::fentry},
        {"Kprobe", "netfilter_link,fentry", Attach::kprobe},
    };
    return mechanisms;
}

void PrintTo(const NetfilterMechanism& mechanism, std::ostream* out) { *out << mechanism.name; }

std::string missing_mechanism(KernelFeatures& features, const NetfilterMechanism& mechanism) {
    switch (mechanism.attach) {
        case Attach::netfilter_link:
            return features.netfilter_link()
                       ? ""
                       : "BPF netfilter links not available: the kernel does not load a "
                         "BPF_PROG_TYPE_NETFILTER program";
        case Attach::fentry:
            return features.fentry()
                       ? ""
                       : "fentry on nf_hook_slow not available: " + features.why_not("fentry");
        case Attach::kprobe:
            return features.kprobes()
                       ? ""
                       : "kprobes on nf_hook_slow not available: " + features.why_not("kprobes");
        default:
            return "not a netfilter mechanism";
    }
}

void ForcedMechanism::SetUp() {
    PATHWHY_REQUIRE_ROOT();
    refused_.emplace(GetParam().refused);
    features_.emplace();
    const std::string missing = missing_mechanism(*features_, GetParam());
    if (!missing.empty()) GTEST_SKIP() << missing;
}

std::string mechanism_name(const ::testing::TestParamInfo<NetfilterMechanism>& info) {
    return info.param.name;
}

bool attached_with(const PacketTracer& tracer, Attach mechanism) {
    const HookProgramPair pair = hook_programs(mechanism);
    bool entry = false, exit = false;
    for (const auto& attachment : tracer.attachments()) {
        entry |= attachment.program == pair.entry;
        exit |= attachment.program == pair.exit;
    }
    return entry && exit;
}

std::vector<ObservedEvent> collect_until(
    PacketTracer& tracer, const std::function<bool(const std::vector<ObservedEvent>&)>& done,
    std::chrono::milliseconds deadline) {
    std::vector<ObservedEvent> events;
    auto keep = [&](const ObservedEvent& event) { events.push_back(event); };
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (!done(events) && std::chrono::steady_clock::now() < until)
        tracer.poll(std::chrono::milliseconds(100), keep);
    tracer.poll(std::chrono::milliseconds(0), keep);
    return events;
}

std::string describe(const std::vector<ObservedEvent>& events) {
    std::string text;
    for (const auto& e : events) {
        std::string what;
        switch (e.kind) {
            case ObservedEvent::Kind::route_lookup:
                what = fmt::format("route table {} err {}", e.table, e.lookup_error);
                break;
            case ObservedEvent::Kind::netfilter:
                what = fmt::format("netfilter {} {} ct={}", netfilter_hook_name(e.hook),
                                   e.edge == HookEdge::entry ? "entry" : "exit",
                                   e.conntrack ? "yes" : "no");
                break;
            case ObservedEvent::Kind::drop:
                what = fmt::format("drop {} at {}", e.drop_reason_name, e.drop_location);
                break;
            case ObservedEvent::Kind::icmp_error:
                what = fmt::format("icmp type {} code {}", e.icmp_type, e.icmp_code);
                break;
            case ObservedEvent::Kind::neighbour:
                what = fmt::format("neighbour {} {:#x} -> {:#x}", e.neighbour.str(), e.old_state,
                                   e.new_state);
                break;
        }
        text += fmt::format("  {} {}:{} -> {}:{} proto {} skb {:#x} in {} out {}\n", what,
                            e.packet.source.str(), e.packet.source_port, e.packet.destination.str(),
                            e.packet.destination_port, e.packet.protocol, e.packet_id, e.in_ifindex,
                            e.out_ifindex);
    }
    return text.empty() ? "  (no events)\n" : text;
}

}  // namespace pathwhy::test
