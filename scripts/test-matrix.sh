#!/usr/bin/env bash
# The kernel matrix: runs `pathwhy doctor` and the privileged tests labelled "kernel" on this
# machine's kernel and on stock Debian kernels under qemu (tests/vm/run-in-vm.sh), then prints a
# kernel x view table and a test x kernel table. Needs a build (scripts/build.sh) and root.
#
#   scripts/test-matrix.sh [--legs host,bullseye,bookworm,trixie] [--tests REGEX] [--out DIR]
#
# --tests narrows every leg to the kernel-labelled tests matching REGEX (ctest -R). Results stay
# in DIR (default /var/cache/pathwhy/matrix/<time>): per leg doctor.json, ctest.xml, console.log.
# Exit status: 0 when every leg ran and passed, 1 when a test failed, 125 when a leg did not run.
set -euo pipefail
cd "$(dirname "$0")/.."
legs=host,bullseye,bookworm,trixie tests="" out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --legs) legs=${2:?}; shift 2 ;;
        --tests) tests=${2:?}; shift 2 ;;
        --out) out=${2:?}; shift 2 ;;
        -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "test-matrix: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done
[ -x build/pathwhy ] || { echo "test-matrix: no build/pathwhy: run scripts/build.sh first" >&2; exit 2; }
out=${out:-/var/cache/pathwhy/matrix/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
build=$(pwd)/build

status=0
IFS=, read -r -a leg_list <<< "$legs"
for leg in "${leg_list[@]}"; do
    dir=$out/$leg
    mkdir -p "$dir"
    started=$SECONDS
    echo "test-matrix: leg $leg ..." >&2
    set +e
    if [ "$leg" = host ]; then
        PATHWHY_VM_OUT=$dir PATHWHY_LEG_TESTS=$tests tests/vm/kernel-leg.sh "$build" > "$dir/console.log" 2>&1
    else
        PATHWHY_LEG_TESTS=$tests tests/vm/run-in-vm.sh --kernel "$leg" --out "$dir" --timeout 5400 \
            -- tests/vm/kernel-leg.sh "$build" > "$dir/console.log" 2>&1
    fi
    rc=$?
    set -e
    echo "$rc" > "$dir/leg-rc"
    echo "$((SECONDS - started))" > "$dir/leg-seconds"
    echo "test-matrix: leg $leg: exit $rc after $((SECONDS - started)) s ($dir/console.log)" >&2
    if [ "$rc" -eq 125 ] || [ "$rc" -eq 124 ]; then status=125; tail -n 5 "$dir/console.log" >&2
    elif [ "$rc" -ne 0 ] && [ "$status" -eq 0 ]; then status=1; fi
done

python3 tests/vm/matrix_table.py "$out" "${leg_list[@]}"
exit "$status"
