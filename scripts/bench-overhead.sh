#!/usr/bin/env bash
# What pathwhy's packet tracer costs traffic it does not watch, in a lab of two namespaces: the
# average ns per run of each BPF program (BPF run-time statistics, target <= 50 ns above an empty
# program at the same place) and veth TCP throughput with the tracer attached vs not (target
# >= 95%). Root only; builds first; exit 1 if a target is missed.
#
# Run-time statistics are the kernel's global kernel.bpf_stats_enabled. The benchmark turns them
# on through a BPF_ENABLE_STATS fd, which the kernel drops when the process ends, however it
# ends; this script still checks that the sysctl is what it was, and puts it back if not.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "bench-overhead: needs root (lab namespaces, BPF)" >&2
    exit 2
fi

stats=/proc/sys/kernel/bpf_stats_enabled
before=$(cat "$stats")
restore() {
    if [ "$(cat "$stats")" != "$before" ]; then
        echo "bench-overhead: restoring kernel.bpf_stats_enabled=$before" >&2
        echo "$before" > "$stats"
    fi
}
trap restore EXIT

./scripts/build.sh >/dev/null && cmake --build build -j"$(nproc)" --target bench_trace_overhead >/dev/null
./build/tests/bench_trace_overhead
