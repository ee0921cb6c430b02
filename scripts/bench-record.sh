#!/usr/bin/env bash
# What `pathwhy record` costs, printed as figures (tests/bench/record_throughput.cpp):
#   1. events per second the recorder sustains without dropping any, and bytes per event on disk;
#   2. resident memory over a minute at 50,000 events/s (limit 64 MiB, the service's MemoryMax);
#   3. root: the real `pathwhy record`, every source on, for 30 s in a lab with its own dockerd,
#      busy with traffic it does not watch — CPU share and RSS (limits 2% of a CPU, 64 MiB).
# Builds first; works in a temporary directory that is removed on exit; exit 1 if a limit is missed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "bench-record: needs root (the idle run records inside a lab namespace)" >&2
    exit 2
fi

work=$(mktemp -d /tmp/pathwhy-bench-record.XXXXXX)
trap 'rm -rf "$work"' EXIT

./scripts/build.sh >/dev/null && cmake --build build -j"$(nproc)" --target bench_record >/dev/null
status=0
echo "== sustained rate and bytes per event"
./build/tests/bench_record rates "$work" || status=1
echo "== memory over a long run"
./build/tests/bench_record long "$work" || status=1
echo "== pathwhy record idle on unwatched traffic"
./build/tests/bench_record idle "$PWD/build/pathwhy" "$work" || status=1
exit $status
