// Benchmark of recording, in three modes (each its own process, so one's memory does not show in
// another's RSS):
//   rates DIR         a producer thread pushes synthetic packet events into the recorder's queue at
//                     a fixed rate while the consumer does what the recorder's loop does — write
//                     them and feed the incident tracker, re-evaluating once a second. Prints per
//                     rate the events dropped (the writer fell behind) and bytes per event on disk.
//   long DIR          the same at 50,000 events/s for a minute: resident memory over the run.
//                     Exit 1 when it passes 64 MiB (the service's MemoryMax) or anything is dropped.
//   idle PATHWHY DIR  root: the real `pathwhy record`, every source on, for 30 s in a lab (its own
//                     dockerd) busy with traffic it does not watch: CPU time and RSS. Exit 1 if
//                     the recorder or the traffic fails, or above 2% of a CPU or 64 MiB.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <unistd.h>

#include <fmt/format.h>

#include "common/interrupt.h"
#include "common/process.h"
#include "explain/incident_tracker.h"
#include "lab/lab.h"
#include "lab/seed000.h"
#include "record/record_queue.h"
#include "record/recording_writer.h"

namespace {

using namespace pathwhy;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::uint64_t kRssLimit = 64ull << 20;

std::uint64_t rss_bytes(const char* field = "VmRSS:") {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with(field)) return std::stoull(line.substr(std::string(field).size())) << 10;
    return 0;
}

// A mix like a watched peer's TCP traffic: per packet a route lookup, netfilter entry and exit
// at two hooks; every 50th packet dropped with an ICMP error.
ObservedEvent synthetic_event(std::uint64_t n) {
    ObservedEvent event;
    const std::uint64_t packet = n / 5;
    event.timestamp_ns = n * 1000;
    event.netns_inode = 4026532001;
    event.packet_id = 0xffff888100000000ull + (packet % 4096) * 256;
    const auto peer = static_cast<std::uint32_t>((172u << 24) | (31u << 16) | (packet % 200));
    event.packet = {*Ipv4Address::parse("172.18.2.172"), Ipv4Address{peer}, 6, 8080,
                    static_cast<std::uint16_t>(32768 + packet % 28000)};
    event.in_ifindex = 1;
    event.out_ifindex = 7;
    switch (n % 5) {
        case 0:
            event.kind = ObservedEvent::Kind::route_lookup;
            event.table = 254;
            event.nexthop_ifindex = 7;
            event.gateway = *Ipv4Address::parse("172.18.2.129");
            break;
        case 1:
        case 2:
            event.kind = ObservedEvent::Kind::netfilter;
            event.hook = NetfilterHook::local_out;
            event.edge = n % 5 == 1 ? HookEdge::entry : HookEdge::exit;
            event.priority = n % 5 == 1 ? -2147483647 : 2147483646;
            event.conntrack = ConntrackView{2, event.packet, {}, 0x8, 0};
            break;
        case 3:
            event.kind = ObservedEvent::Kind::netfilter;
            event.hook = NetfilterHook::postrouting;
            event.priority = 2147483646;
            event.edge = HookEdge::exit;
            break;
        default:
            if (packet % 50 == 0) {
                event.kind = ObservedEvent::Kind::drop;
                event.drop_reason = 77;
                event.drop_reason_name = "NEIGH_FAILED";
                event.drop_location = "neigh_invalidate+0x8c";
            } else {
                event.kind = ObservedEvent::Kind::icmp_error;
                event.icmp_type = 3;
                event.icmp_code = 1;
            }
    }
    return event;
}

Snapshot small_snapshot() {
    Snapshot snapshot;
    snapshot.kernel.links = {{1, "lo", "", 0, true, true, "unknown", 65536, ""},
                             {7, "uplink", "veth", 0, true, true, "up", 1500, "02:00:00:00:00:01"}};
    snapshot.kernel.addresses = {{7, *Ipv4Cidr::parse("172.18.2.172/26"), "", 0}};
    Route fallback;
    fallback.destination = *Ipv4Cidr::parse("0.0.0.0/0");
    fallback.gateway = *Ipv4Address::parse("172.18.2.129");
    fallback.oif = 7;
    snapshot.kernel.routes = {fallback};
    return snapshot;
}

struct RunResult {
    std::uint64_t produced = 0;
    std::uint64_t dropped = 0;
    std::uint64_t bytes = 0;
    std::uint64_t peak_rss = 0;
    double seconds = 0;
};

// Pushes `rate` events/s for `seconds` (rate 0: as fast as the queue takes them) and consumes
// them as the recorder does.
RunResult run(const std::string& path, std::uint64_t rate, double seconds, std::uint64_t limit = 0) {
    RecordQueue queue(1 << 16);
    IncidentTracker tracker({*Ipv4Cidr::parse("172.31.0.0/16")});
    tracker.set_views({{KernelView::route_lookups, true, "tp_btf", "", ""}});
    tracker.take_snapshot(small_snapshot(), 0);
    RecordingLimits limits;
    limits.max_total_bytes = 4ull << 30;
    RecordingWriter writer(path, limits, nullptr);

    RunResult result;
    std::atomic<bool> done = false;
    const auto started = Clock::now();
    // Events carry times as if they happened at the offered rate: the tracker's window and its
    // once-a-second evaluations then see what they would live.
    const std::int64_t spacing_ns = rate ? static_cast<std::int64_t>(kSecond / rate) : 1000;
    std::thread producer([&] {
        std::uint64_t n = 0;
        for (;;) {
            const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
            if (elapsed >= seconds || (limit && n >= limit)) break;
            const std::uint64_t due = rate ? static_cast<std::uint64_t>(elapsed * rate) + 1 : n + 256;
            for (; n < due; ++n) {
                queue.push({static_cast<std::int64_t>(n) * spacing_ns + kSecond, synthetic_event(n)});
            }
            if (rate) std::this_thread::sleep_for(std::chrono::microseconds(500));
        }
        result.produced = n;
        done = true;
    });
    std::int64_t last_eval = 0;
    for (;;) {
        const bool finished = done;
        for (Record& record : queue.pop_all(std::chrono::milliseconds(100))) {
            writer.append(record);
            tracker.observe(std::get<ObservedEvent>(record.body), record.time_unix_ns);
            if (record.time_unix_ns - last_eval >= kSecond) {
                tracker.evaluate(record.time_unix_ns);
                last_eval = record.time_unix_ns;
            }
        }
        writer.flush_if_due(Clock::now());
        result.peak_rss = std::max(result.peak_rss, rss_bytes());
        if (finished) break;
    }
    producer.join();
    result.dropped = queue.take_dropped();
    writer.close();
    result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    result.bytes = writer.stats().bytes;
    std::filesystem::remove(path);
    return result;
}

// CPU ticks (user + system) of a process, from /proc/PID/stat.
std::uint64_t cpu_ticks(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), {});
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string field;
    std::uint64_t utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
        if (i == 14) utime = std::stoull(field);
        if (i == 15) stime = std::stoull(field);
    }
    return utime + stime;
}

std::uint64_t process_rss(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with("VmRSS:")) return std::stoull(line.substr(6)) << 10;
    return 0;
}

int idle_recorder(const std::string& pathwhy, const std::string& dir) {
    InterruptGuard interrupts;
    // A real lab, dockerd included, so every source runs (Docker events, rtnetlink, conntrack,
    // BPF): what is measured is the recorder as a service runs it, minus matching traffic.
    lab::Lab lab;
    ChildProcess recorder({pathwhy, "record", "--watch", "10.99.0.0/16", "--netns",
                           lab.host().name(), "--docker-host", lab.docker_host(), "--daemon-json",
                           lab.dockerd().dir() + "/daemon.json", "-o", dir + "/idle.rec"},
                          dir + "/idle.log");
    const auto still_recording = [&] {
        if (!recorder.wait_exit(std::chrono::milliseconds(0))) return true;
        std::fprintf(stderr, "bench: pathwhy record %s; its log:\n",
                     recorder.exit_description().c_str());
        std::ifstream log(dir + "/idle.log");
        std::fprintf(stderr, "%s", std::string(std::istreambuf_iterator<char>(log), {}).c_str());
        return false;
    };
    // Traffic the recorder does not watch, through every hook its programs sit on: 100 pings a
    // second to the lab's peer for the whole measurement, bounded.
    constexpr int kSeconds = 30;
    RunOptions pings;
    pings.timeout = std::chrono::seconds(kSeconds + 15);
    std::this_thread::sleep_for(std::chrono::seconds(3));  // past the first snapshot
    if (!still_recording()) return 1;
    const std::uint64_t ticks_before = cpu_ticks(recorder.pid());
    const auto started = Clock::now();
    std::uint64_t peak_rss = 0;
    ProcessResult traffic_result;
    std::thread traffic([&] {
        traffic_result = lab.host().exec({"busybox", "ping", "-q", "-c",
                                          std::to_string(kSeconds * 100), "-i", "0.01",
                                          lab::seed000_peer().str()},
                                         pings);
    });
    bool alive = true;
    while (alive && Clock::now() - started < std::chrono::seconds(kSeconds)) {
        peak_rss = std::max(peak_rss, process_rss(recorder.pid()));
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        alive = still_recording();
    }
    const double cpu_seconds = static_cast<double>(cpu_ticks(recorder.pid()) - ticks_before) /
                               static_cast<double>(sysconf(_SC_CLK_TCK));
    traffic.join();
    if (!alive) return 1;
    recorder.terminate();
    if (!traffic_result.ok()) {
        std::fprintf(stderr, "bench: the unwatched traffic failed: %s\n",
                     traffic_result.failure().c_str());
        return 1;
    }
    const double share = cpu_seconds / kSeconds * 100;
    std::printf("idle recorder (%d s, every source on, 100 unwatched pings/s through its namespace): "
                "%.2f s of CPU (%.2f%% of one CPU), peak RSS %.1f MiB\n",
                kSeconds, cpu_seconds, share, static_cast<double>(peak_rss) / (1 << 20));
    return share < 2.0 && peak_rss < kRssLimit ? 0 : 1;
}

void rates(const std::string& path) {
    std::printf("sustained rate (5 s each; dropped = the writer could not keep up):\n");
    std::uint64_t best = 0;
    for (std::uint64_t rate : {10'000, 25'000, 50'000, 100'000, 200'000}) {
        const RunResult r = run(path, rate, 5);
        const std::uint64_t written = r.produced - r.dropped;
        std::printf("  %7llu events/s offered: %9llu written, %8llu dropped, %.1f bytes/event\n",
                    static_cast<unsigned long long>(rate), static_cast<unsigned long long>(written),
                    static_cast<unsigned long long>(r.dropped),
                    static_cast<double>(r.bytes) / static_cast<double>(written));
        if (r.dropped == 0) best = rate;
    }
    std::printf("highest rate sustained without loss: %llu events/s\n",
                static_cast<unsigned long long>(best));
    const RunResult flat_out = run(path, 0, 10, 5'000'000);
    std::printf("flat out: %.0f events/s written\n",
                static_cast<double>(flat_out.produced - flat_out.dropped) / flat_out.seconds);
}

int long_run(const std::string& path) {
    const RunResult r = run(path, 50'000, 60);
    std::printf("long run: %llu events in %.0f s at 50000/s, %llu dropped, %.1f bytes/event on disk, "
                "peak RSS %.1f MiB (limit %llu MiB)\n",
                static_cast<unsigned long long>(r.produced), r.seconds,
                static_cast<unsigned long long>(r.dropped),
                static_cast<double>(r.bytes) / static_cast<double>(r.produced),
                static_cast<double>(r.peak_rss) / (1 << 20),
                static_cast<unsigned long long>(kRssLimit >> 20));
    return r.peak_rss < kRssLimit && r.dropped == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    try {
        if (mode == "rates" && argc == 3) {
            rates(std::string(argv[2]) + "/bench-record.rec");
            return 0;
        }
        if (mode == "long" && argc == 3) return long_run(std::string(argv[2]) + "/bench-record.rec");
        if (mode == "idle" && argc == 4) return idle_recorder(argv[2], argv[3]);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench: %s\n", e.what());
        return 2;
    }
    std::fprintf(stderr, "usage: %s rates DIR | long DIR | idle PATHWHY DIR\n", argv[0]);
    return 2;
}
