// Benchmark: how long `pathwhy <ip> --json` takes on a host with 200 Docker networks and 1,000
// extra routes. A real dockerd in a lab namespace holds the networks (seed 000's walk through the
// pools, then explicit /24s up to 200); the routes are /32s via the uplink. Prints every run and
// the median; exits 1 when the median misses the 1 s target or a run gives the wrong answer.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/interrupt.h"
#include "common/process.h"
#include "lab/lab.h"
#include "lab/seed000.h"

namespace {

using namespace pathwhy;
using Clock = std::chrono::steady_clock;

constexpr int kNetworks = 200;
constexpr int kExtraRoutes = 1000;
constexpr int kRuns = 9;
constexpr double kTargetSeconds = 1.0;

void add_networks(lab::Lab& lab, int count) {
    for (int i = 0; i < count; ++i) {
        throw_if_interrupted("create benchmark networks");
        const std::string project = fmt::format("bench-{}", i);
        lab.docker({"network", "create", "--subnet", fmt::format("10.200.{}.0/24", i), "--label",
                    "com.docker.compose.project=" + project, "--label",
                    "com.docker.compose.network=default", project + "_default"});
        if ((i + 1) % 50 == 0) std::fprintf(stderr, "bench: %d extra networks\n", i + 1);
    }
}

void add_routes(const lab::Lab& lab, int count) {
    std::string batch;
    for (int i = 0; i < count; ++i)
        batch += fmt::format("route add 10.100.{}.{}/32 via {}\n", i / 250, i % 250 + 1,
                             lab::kPeerGateway);
    RunOptions options;
    options.stdin_data = batch;
    run_checked({"ip", "-n", lab.host().name(), "-batch", "-"}, options);
}

}  // namespace

int main(int argc, char** argv) {
    const std::string pathwhy = argc > 1 ? argv[1] : "build/pathwhy";
    try {
        InterruptGuard interrupts;
        lab::Lab lab;
        lab::Seed000 seed = lab::build_seed000(lab);
        add_networks(lab, kNetworks - static_cast<int>(seed.networks.size()));
        add_routes(lab, kExtraRoutes);
        const std::string routes = lab.host().ip({"-o", "route", "show", "table", "all"});
        const auto route_count = std::count(routes.begin(), routes.end(), '\n');
        const std::string listing = lab.docker({"network", "ls", "-q"});
        const auto network_count = std::count(listing.begin(), listing.end(), '\n');
        std::printf("lab: %ld Docker networks (incl. bridge, host, none), %ld routes in all tables\n",
                    network_count, route_count);

        std::vector<double> seconds;
        for (int run = 0; run < kRuns; ++run) {
            auto started = Clock::now();
            RunOptions options;
            options.timeout = std::chrono::seconds(30);
            auto result =
                run_command({pathwhy, lab::seed000_peer().str(), "--netns", lab.host().name(),
                             "--docker-host", lab.docker_host(), "--daemon-json",
                             lab.dockerd().dir() + "/daemon.json", "--json"},
                            options);
            double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
            auto verdict = nlohmann::json::parse(result.out, nullptr, false);
            if (result.exit_code != 1 || verdict.is_discarded() || verdict["verdict"] != "misrouted") {
                std::fprintf(stderr, "bench: run %d gave a wrong answer (exit %d): %s\n", run,
                             result.exit_code, result.err.c_str());
                return 1;
            }
            std::printf("run %d: %.3f s (%zu findings)\n", run + 1, elapsed,
                        verdict["findings"].size());
            seconds.push_back(elapsed);
        }
        std::sort(seconds.begin(), seconds.end());
        const double median = seconds[seconds.size() / 2];
        std::printf("pathwhy <ip> with %d Docker networks and %d extra routes: median %.3f s, "
                    "min %.3f s, max %.3f s over %d runs (target < %.1f s): %s\n",
                    kNetworks, kExtraRoutes, median, seconds.front(), seconds.back(), kRuns,
                    kTargetSeconds, median < kTargetSeconds ? "PASS" : "MISS");
        return median < kTargetSeconds ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench: %s\n", e.what());
        return 2;
    }
}
