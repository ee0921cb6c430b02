#!/usr/bin/env bash
# Runs every test: unit tests (no root), then privileged tests (root: real namespaces, the real
# kernel and a real dockerd per lab). In CI a privileged test that cannot run fails, never skips.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "test: the privileged tests need root (they build network namespaces and start dockerd)" >&2
    exit 2
fi

lab_namespaces() { ip netns list | awk '$1 ~ /^pw[0-9]/ {print $1}' | sort; }
before=$(lab_namespaces)

ctest --test-dir build -L unit --output-on-failure --timeout 300
ctest --test-dir build -L privileged --output-on-failure

# No lab these tests made may outlive them (namespaces that were there before are not ours).
leftovers=$(comm -13 <(printf '%s\n' "$before") <(lab_namespaces) | tr '\n' ' ')
if [ -n "${leftovers// /}" ]; then
    echo "test: labs left behind: $leftovers" >&2
    exit 1
fi
