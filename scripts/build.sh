#!/usr/bin/env bash
# Configures and builds pathwhy into ./build (binary: build/pathwhy, with its BPF object built
# in). Only the binary: the test programs, holders and benchmarks are built by scripts/test.sh
# (or `cmake --build build`), so the README's first command compiles what it runs and no more.
set -euo pipefail
cd "$(dirname "$0")/.."
launcher=()
# ccache, when installed, makes a rebuild after a small change or in a second checkout cheap.
if command -v ccache > /dev/null; then
    launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" > /dev/null
cmake --build build -j"$(nproc)" --target pathwhy
