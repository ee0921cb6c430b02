#!/usr/bin/env bash
# Configures and builds pathwhy into ./build (binary: build/pathwhy).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
