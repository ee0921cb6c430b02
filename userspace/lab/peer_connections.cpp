// Two bounded shell loops around busybox nc, one per namespace. The outer `timeout` bounds each
// loop in time even if an nc hangs; it also leads the loop's process group, which the destructor
// kills as a whole so that no nc outlives the lab.
#include "lab/peer_connections.h"

#include <fmt/format.h>
#include <signal.h>

#include <fstream>
#include <thread>

namespace pathwhy::lab {
namespace {

// The time a loop may take at most: every attempt timing out, plus slack.
int loop_budget_seconds(const PeerConnectionOptions& options) {
    const auto per_attempt =
        std::chrono::seconds(options.connect_timeout_seconds + 2) + options.interval;
    return static_cast<int>(
               std::chrono::duration_cast<std::chrono::seconds>(per_attempt * options.attempts)
                   .count()) +
           60;
}

std::vector<std::string> bounded_shell(const LabNamespace& ns, int seconds,
                                       const std::string& script) {
    return ns.exec_argv({"timeout", std::to_string(seconds), "sh", "-c", script});
}

void stop_group(std::optional<ChildProcess>& child) {
    if (!child || child->exited()) return;
    kill(-child->pid(), SIGKILL);  // the loop, its nc and its sleep
    child->terminate();            // reaps the leader
}

}  // namespace

PeerConnections::PeerConnections(const Lab& lab, PeerConnectionOptions options)
    : service_log_(lab.dockerd().dir() + "/peer-service.log"),
      client_log_(lab.dockerd().dir() + "/peer-client.log") {
    const std::string host_address(kUplinkAddress.substr(0, kUplinkAddress.find('/')));
    // The peer's own address on the veth would be the natural source; the bastion's address is
    // the one whose replies a 172.31.0.0/16 bridge swallows, so connections to the host use it.
    lab.peer().ip({"route", "replace", host_address + "/32", "dev", std::string(kPeerLink), "src",
                   std::string(kPeerServiceAddress)});

    const int budget = loop_budget_seconds(options);
    service_.emplace(
        bounded_shell(lab.host(), budget,
                      fmt::format("i=0; while [ $i -lt {} ]; do timeout 60 busybox nc -l -p {} "
                                  "</dev/null >/dev/null; i=$((i+1)); done",
                                  options.attempts, options.port)),
        service_log_, std::chrono::seconds(2));
    // Wait for the listener rather than letting the first attempts fail on a closed port.
    const auto listening = [&] {
        auto sockets = lab.host().exec({"ss", "-Htln", fmt::format("sport = :{}", options.port)});
        return sockets.ok() && !sockets.out.empty();
    };
    for (int i = 0; i < 100 && !listening(); ++i) pause_between_polls();

    const double interval = std::chrono::duration<double>(options.interval).count();
    client_.emplace(
        bounded_shell(
            lab.peer(), budget,
            fmt::format(
                "i=0; while [ $i -lt {n} ]; do "
                "if echo hello | timeout {t} busybox nc -w {w} {host} {port} >/dev/null "
                "2>&1; then echo ok; else echo fail; fi; i=$((i+1)); sleep {s}; done",
                fmt::arg("n", options.attempts), fmt::arg("t", options.connect_timeout_seconds + 2),
                fmt::arg("w", options.connect_timeout_seconds), fmt::arg("host", host_address),
                fmt::arg("port", options.port), fmt::arg("s", interval))),
        client_log_, std::chrono::seconds(2));
}

PeerConnections::~PeerConnections() {
    stop_group(client_);
    stop_group(service_);
}

ConnectionTally PeerConnections::tally() const {
    ConnectionTally tally;
    std::ifstream log(client_log_);
    for (std::string line; std::getline(log, line);) {
        if (line == "ok") ++tally.succeeded;
        if (line == "fail") ++tally.failed;
    }
    return tally;
}

void pause_between_polls() { std::this_thread::sleep_for(std::chrono::milliseconds(100)); }

}  // namespace pathwhy::lab
