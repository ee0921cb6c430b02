// Labs and traffic for the packet tracer's privileged tests. A routed lab is three namespaces in
// a row — client, router, server — joined by veths, the router forwarding, each end's default
// route pointing at the router, so nothing sent in it can leave. Namespaces are named
// pw<pid>t<tag><role>, unique per process and test, and removed by RAII. Traffic is bounded:
// one ping, one UDP datagram, one connect with a deadline.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "lab/netns.h"
#include "model/observed_event.h"
#include "trace/kernel_features.h"
#include "trace/packet_tracer.h"
#include "trace/trace_plan.h"

namespace pathwhy::test {

// Namespace names for this test process: "pw<pid>t<tag>".
std::string trace_namespace_name(const std::string& tag);

std::uint32_t netns_inode_of(const lab::LabNamespace& ns);
// ifindex of `device` inside `ns` (/sys would show the test's own namespace).
int ifindex_in(const lab::LabNamespace& ns, const std::string& device);

class RoutedLab {
  public:
    // client 10.71.1.2 -c0/r0- 10.71.1.1 router 10.71.2.1 -r1/s0- 10.71.2.2 server
    static constexpr const char* kClient = "10.71.1.2";
    static constexpr const char* kRouterClientSide = "10.71.1.1";
    static constexpr const char* kRouterServerSide = "10.71.2.1";
    static constexpr const char* kServer = "10.71.2.2";

    explicit RoutedLab(const std::string& tag);

    lab::LabNamespace client;
    lab::LabNamespace router;
    lab::LabNamespace server;
};

// `busybox ping -c 1 -W 2 DST` inside ns; true when answered.
bool ping(const lab::LabNamespace& ns, const std::string& destination);
// Runs argv (iptables, sysctl, ...) inside ns; throws Error when it fails.
void run_in(const lab::LabNamespace& ns, const std::vector<std::string>& argv);
// One UDP datagram from inside ns.
void send_udp(const lab::LabNamespace& ns, const std::string& destination, std::uint16_t port);
// A TCP connect from inside ns, given up after `timeout`: 0 when it connected, errno otherwise.
int connect_tcp(const lab::LabNamespace& ns, const std::string& destination, std::uint16_t port,
                std::chrono::seconds timeout);

// Makes nf_hook_slow run at every IPv4 hook of `ns` (and only there): a counting rule, with no
// target, in each of the mangle table's five chains. The fentry and kprobe fallbacks see a hook
// only when something is registered at it in the namespace; BPF netfilter links need nothing.
void make_every_hook_run(const lab::LabNamespace& ns);

// Sets PATHWHY_TEST_REFUSE (trace/test_refusals.h) for the KernelFeatures made, and the pathwhy
// processes started, while it lives; restores what was there before.
class RefusedMechanisms {
  public:
    explicit RefusedMechanisms(const std::string& mechanisms);
    ~RefusedMechanisms();
    RefusedMechanisms(const RefusedMechanisms&) = delete;
    RefusedMechanisms& operator=(const RefusedMechanisms&) = delete;

  private:
    std::optional<std::string> before_;
};

// A netfilter mechanism a test forces by refusing the ones preferred to it.
struct NetfilterMechanism {
    std::string name;     // for test names: "NetfilterLink", "Fentry", "Kprobe"
    std::string refused;  // PATHWHY_TEST_REFUSE's value that leaves this one first
    Attach attach = Attach::none;
};
const std::vector<NetfilterMechanism>& netfilter_mechanisms();
// gtest prints a parameter in the test's name: its name, not its bytes.
void PrintTo(const NetfilterMechanism& mechanism, std::ostream* out);
// "" when `features` (made with mechanism.refused in force) give `mechanism`; otherwise why not,
// naming the probed feature — a test's skip message.
std::string missing_mechanism(KernelFeatures& features, const NetfilterMechanism& mechanism);
// A test run once per netfilter mechanism (INSTANTIATE_TEST_SUITE_P over netfilter_mechanisms(),
// named by mechanism_name): SetUp needs root, refuses the mechanisms preferred to this one while
// the test runs, and skips, naming the probe that said no, where the kernel does not give it.
class ForcedMechanism : public ::testing::TestWithParam<NetfilterMechanism> {
  protected:
    void SetUp() override;
    KernelFeatures& features() { return *features_; }
    // The nf_hook_slow fallbacks see whole hooks; links sit at their first and last priority.
    bool whole_hooks() const { return GetParam().attach != Attach::netfilter_link; }

  private:
    std::optional<RefusedMechanisms> refused_;
    std::optional<KernelFeatures> features_;
};
std::string mechanism_name(const ::testing::TestParamInfo<NetfilterMechanism>& info);

// Whether the tracer attached `mechanism`'s hook programs.
bool attached_with(const PacketTracer& tracer, Attach mechanism);

// Polls the tracer until `done(events so far)` holds or `deadline` passes; then takes what is
// already queued. Returns every event seen.
std::vector<ObservedEvent> collect_until(
    PacketTracer& tracer, const std::function<bool(const std::vector<ObservedEvent>&)>& done,
    std::chrono::milliseconds deadline = std::chrono::seconds(10));

// "netfilter PREROUTING entry 10.71.1.2 -> 10.71.2.2 skb 0x..." — for failure messages.
std::string describe(const std::vector<ObservedEvent>& events);

}  // namespace pathwhy::test
