#!/usr/bin/env bash
# Runs one command as root inside a VM booted on a stock Debian kernel, and exits with its status.
#
#   tests/vm/run-in-vm.sh --kernel bookworm|bullseye|trixie [--timeout SECONDS] [--memory MIB]
#                         [--out DIR] -- COMMAND [ARGS...]
#
# bookworm is Debian 12's 6.1, bullseye Debian 11's 5.10, trixie Debian 13's 6.12 (fetched by
# fetch-kernel.sh into $PATHWHY_VM_CACHE, default /var/cache/pathwhy/vm). The guest sees this
# machine's / read-only under a tmpfs overlay — the same paths, so a build tree runs there as it
# is — and writes nothing to the host but the results share: $PATHWHY_VM_OUT in the guest, DIR
# (default: a fresh temporary directory, removed afterwards) on the host. The guest has no network
# device. COMMAND runs in the current directory with CI, TERM and every PATHWHY_* and GTEST_*
# variable of this environment; its output is streamed here.
#
# Acceleration: KVM when this machine has real hardware virtualisation (vmx/svm) and a KVM boot
# reaches the initramfs within 90 s; else qemu's TCG emulation (10-40x slower).
# Exit status: COMMAND's, or 125 when the VM could not boot or run it (the reason is printed:
# such a leg did not run — it never passes), 124 when it timed out.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

suite="" timeout_s=3600 memory=4096 out="" keep_out=0
while [ $# -gt 0 ]; do
    case "$1" in
        --kernel) suite=${2:?}; shift 2 ;;
        --timeout) timeout_s=${2:?}; shift 2 ;;
        --memory) memory=${2:?}; shift 2 ;;
        --out) out=${2:?}; keep_out=1; shift 2 ;;
        --) shift; break ;;
        *) echo "run-in-vm: unknown option '$1' (see the header of $0)" >&2; exit 2 ;;
    esac
done
[ -n "$suite" ] && [ $# -gt 0 ] || { echo "run-in-vm: usage: run-in-vm.sh --kernel SUITE -- COMMAND..." >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "run-in-vm: run as root (the guest's job runs as root)" >&2; exit 2; }
command -v qemu-system-x86_64 > /dev/null ||
    { echo "run-in-vm: not run: qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)" >&2; exit 125; }

not_run() { echo "run-in-vm: the $suite leg did not run: $*" >&2; exit 125; }

read -r kernel_dir release < <("$here/fetch-kernel.sh" "$suite") || not_run "cannot fetch its kernel"
initrd=$("$here/make-initramfs.sh" "$kernel_dir" "$release") || not_run "cannot build its initramfs"

if [ -z "$out" ]; then out=$(mktemp -d /tmp/pathwhy-vm-out.XXXXXX); fi
mkdir -p "$out"
qemu_pid=""
cleanup() {
    [ -n "$qemu_pid" ] && kill -9 "$qemu_pid" 2> /dev/null
    [ -n "$qemu_pid" ] && wait "$qemu_pid" 2> /dev/null
    [ "$keep_out" -eq 1 ] || rm -rf "$out"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The job, as the guest's runner reads it.
rm -f "$out/rc" "$out/booted"
printf '%s\0' "$@" > "$out/argv"
pwd > "$out/cwd"
# Debian 13 keeps modules under usr/lib (merged /usr), earlier suites under lib.
for modules in "$kernel_dir/root/usr/lib/modules/$release" "$kernel_dir/root/lib/modules/$release"; do
    [ -d "$modules" ] && { echo "$modules" > "$out/modules-dir"; break; }
done
{
    env | grep -E '^(CI|TERM|PATHWHY_[A-Z0-9_]*|GTEST_[A-Z0-9_]*)=' | sed "s/'/'\\\\''/g; s/=/='/; s/\$/'/" || true
    echo "PATHWHY_VM_OUT='/mnt/pathwhy-vm-out'"
    echo "PATHWHY_VM_KERNEL='$suite'"
} > "$out/env"

kvm_usable() {
    [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo
}

boot() {  # boot ACCEL: runs qemu in the background, sets qemu_pid
    local accel=$1
    echo "$accel" > "$out/accel"  # read by the guest's job: labs scale their timeouts under tcg
    local accel_args=(-accel tcg,thread=multi,tb-size=512 -cpu max)
    [ "$accel" = kvm ] && accel_args=(-enable-kvm -cpu host)
    qemu-system-x86_64 "${accel_args[@]}" -m "$memory" -smp 2 \
        -display none -monitor none -serial stdio -no-reboot -nic none \
        -kernel "$kernel_dir/root/boot/vmlinuz-$release" -initrd "$initrd" \
        -append "console=ttyS0 quiet loglevel=3 panic=-1 oops=panic" \
        -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
        -virtfs "local,path=$out,mount_tag=results,security_model=none" < /dev/null &
    qemu_pid=$!
}

waited_for_boot() {  # seconds: true once the initramfs wrote its mark
    local deadline=$((SECONDS + $1))
    while [ $SECONDS -lt $deadline ]; do
        [ -e "$out/booted" ] && return 0
        kill -0 "$qemu_pid" 2> /dev/null || return 1
        sleep 1
    done
    return 1
}

started=$SECONDS
accel=tcg
if kvm_usable; then
    boot kvm
    if waited_for_boot 90; then accel=kvm; else
        echo "run-in-vm: a KVM boot did not reach the initramfs in 90 s: falling back to emulation" >&2
        kill -9 "$qemu_pid" 2> /dev/null; wait "$qemu_pid" 2> /dev/null || true; qemu_pid=""
    fi
fi
[ -n "$qemu_pid" ] || boot tcg
echo "run-in-vm: booting $release ($suite) with $accel, results in $out" >&2

# The whole run is bounded; a guest that does not reach its initramfs in 5 minutes never will.
waited_for_boot 300 || { kill -0 "$qemu_pid" 2> /dev/null && not_run "it did not reach its initramfs in 300 s"; }
deadline=$((started + timeout_s))
while kill -0 "$qemu_pid" 2> /dev/null; do
    if [ $SECONDS -ge $deadline ]; then
        echo "run-in-vm: the $suite leg timed out after $timeout_s s" >&2
        exit 124
    fi
    sleep 1
done
wait "$qemu_pid" 2> /dev/null || true
qemu_pid=""
[ -e "$out/booted" ] || not_run "the guest powered off before its initramfs was up (see its console above)"
[ -s "$out/rc" ] || not_run "the guest powered off before the job finished (see its console above)"
rc=$(cat "$out/rc")
echo "run-in-vm: $suite ($release, $accel): exit $rc after $((SECONDS - started)) s" >&2
exit "$rc"
