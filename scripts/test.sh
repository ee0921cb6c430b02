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

# The 6.1 leg, where netfilter links do not exist and fentry/kprobes stand in for them: doctor,
# every tracing test (each netfilter mechanism, the raw_tp twins, cleanup) and one Docker lab each
# for probe, watch and record. Under emulation a Docker lab takes 1-3 minutes, so the rest of the
# kernel-labelled tests run in the full matrix (scripts/test-matrix.sh), not in CI's 90 minutes.
legs=${PATHWHY_TEST_LEGS:-bookworm}
leg_tests='(^|/)(Trace[A-Za-z]*|OutputDrop|DropsWithoutReasons)\.'
leg_tests+='|^ProbeSeed000\.TheSynIsRoutedIntoTheBridgeAndArpFailsThere$'
leg_tests+='|^ForwardDrop\.BetweenTwoComposeNetworksIsolationDropsIt$'
leg_tests+='|^WatchReplyPath\.TheSynAckIsRoutedIntoTheBridge$'
leg_tests+='|^DockerUserDrop\.RecordedAndReportedItIsAConfirmedIncident$'
leg_tests+='|^RecordRobustness\.SigkillLeavesAReadableFileMissingAboutASecondAtMost$'
if [ "$legs" != none ]; then
    scripts/test-matrix.sh --legs "$legs" --tests "$leg_tests"
fi

# No lab these tests made may outlive them (namespaces that were there before are not ours).
leftovers=$(comm -13 <(printf '%s\n' "$before") <(lab_namespaces) | tr '\n' ' ')
if [ -n "${leftovers// /}" ]; then
    echo "test: labs left behind: $leftovers" >&2
    exit 1
fi
