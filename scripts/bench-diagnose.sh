#!/usr/bin/env bash
# Diagnosis latency with 200 Docker networks and 1,000 routes, in a lab with a real dockerd.
# Root only; builds first. Prints every run and the median; exit 1 if the median is >= 1 s.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh >/dev/null && cmake --build build -j"$(nproc)" --target bench_diagnose_latency >/dev/null
exec ./build/tests/bench_diagnose_latency ./build/pathwhy
