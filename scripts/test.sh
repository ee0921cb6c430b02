#!/usr/bin/env bash
# Runs every test: unit tests (no root), then privileged tests (root: real namespaces, the real
# kernel and a real dockerd per lab). In CI a privileged test that cannot run fails, never skips.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "test: the privileged tests need root (they build network namespaces and start dockerd)" >&2
    exit 2
fi

ctest --test-dir build -L unit --output-on-failure --timeout 300
ctest --test-dir build -L privileged --output-on-failure

# No lab may outlive the tests.
leftovers=$(ip netns list | grep -E '^pw[0-9]' || true)
if [ -n "$leftovers" ]; then
    echo "test: labs left behind: $leftovers" >&2
    exit 1
fi
