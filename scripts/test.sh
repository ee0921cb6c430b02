#!/usr/bin/env bash
# Runs every test: unit tests (no root), then privileged tests (root: real namespaces, the real
# kernel and a real dockerd per lab), then the kernel-sensitive privileged tests again on Debian
# 12's stock 6.1 kernel under qemu (tests/vm; scripts/test-matrix.sh runs every kernel). In CI a
# privileged test that cannot run fails, never skips.
#   PATHWHY_TEST_LEGS=bookworm,bullseye,trixie   VM legs to run after the host (default bookworm;
#                                                "none" for the host only)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "test: the privileged tests need root (they build network namespaces and start dockerd)" >&2
    exit 2
fi

lab_namespaces() { ip netns list | awk '$1 ~ /^pw[0-9]/ {print $1}' | sort; }
before=$(lab_namespaces)

# The test programs, the holders they run and the benchmarks (scripts/build.sh builds the binary).
cmake --build build -j"$(nproc)"

ctest --test-dir build -L unit --output-on-failure --timeout 300
ctest --test-dir build -L privileged --output-on-failure

# The 6.1 leg: doctor and the tests of every tracing path (trace, probe, watch, record, cleanup),
# where netfilter links do not exist and fentry/kprobes stand in for them.
legs=${PATHWHY_TEST_LEGS:-bookworm}
if [ "$legs" != none ]; then
    scripts/test-matrix.sh --legs "$legs" --tests '^(Trace|Probe|ForwardDrop|WatchReplyPath|Record)'
fi

# No lab these tests made may outlive them (namespaces that were there before are not ours).
leftovers=$(comm -13 <(printf '%s\n' "$before") <(lab_namespaces) | tr '\n' ' ')
if [ -n "${leftovers// /}" ]; then
    echo "test: labs left behind: $leftovers" >&2
    exit 1
fi
