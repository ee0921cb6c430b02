#!/usr/bin/env bash
# One leg of the kernel matrix, run inside the guest by scripts/test-matrix.sh: `pathwhy doctor
# --json` and the privileged tests labelled "kernel" (or those matching $PATHWHY_LEG_TESTS), with
# a JUnit report, into the results share. Exit status: ctest's.
#   tests/vm/kernel-leg.sh BUILD_DIR
set -uo pipefail
build=${1:?usage: kernel-leg.sh BUILD_DIR}
out=${PATHWHY_VM_OUT:?run inside tests/vm/run-in-vm.sh}

# Under emulation everything runs 10-40x slower: labs wait that much longer for dockerd & co.
if [ "${PATHWHY_VM_ACCEL:-}" = tcg ]; then export PATHWHY_LAB_SLOWDOWN=${PATHWHY_LAB_SLOWDOWN:-10}; fi

# The console is a log here, not a terminal to colour.
export NO_COLOR=1

"$build/pathwhy" doctor --json > "$out/doctor.json" 2> "$out/doctor.err"
echo "kernel-leg: doctor exit $? ($(uname -r))"
"$build/pathwhy" doctor || true

selection=(-L kernel)
[ -n "${PATHWHY_LEG_TESTS:-}" ] && selection+=(-R "$PATHWHY_LEG_TESTS")
ctest --test-dir "$build" "${selection[@]}" --output-on-failure --output-junit "$out/ctest.xml"
