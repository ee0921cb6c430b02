#!/usr/bin/env bash
# Fetches a stock Debian kernel package for one suite and
# unpacks it into the VM cache, outside the checkout: $PATHWHY_VM_CACHE (default
# /var/cache/pathwhy/vm)/<suite>/. Uses a private apt source list and state, never the system's.
# Prints the unpacked kernel's directory and release on stdout: "DIR RELEASE". Safe to re-run:
# a suite already unpacked is reused.
#   tests/vm/fetch-kernel.sh bullseye|bookworm|trixie
set -euo pipefail

suite=${1:?usage: fetch-kernel.sh bullseye|bookworm|trixie}
case "$suite" in
    bullseye | bookworm | trixie) ;;
    *) echo "fetch-kernel: unknown suite '$suite' (bullseye, bookworm or trixie)" >&2; exit 2 ;;
esac
cache=${PATHWHY_VM_CACHE:-/var/cache/pathwhy/vm}
dir=$cache/$suite
mkdir -p "$dir"

# Debian 13 ships modules under /usr/lib (merged /usr); earlier suites under /lib.
modules_of() { ls -d "$1"/root/usr/lib/modules "$1"/root/lib/modules 2>/dev/null | head -n 1; }

if [ -f "$dir/release" ] && [ -d "$(modules_of "$dir")/$(cat "$dir/release")" ]; then
    echo "$dir $(cat "$dir/release")"
    exit 0
fi

. "$(dirname "$0")/../../scripts/private-apt.sh"
private_apt "$dir" "$suite"

# linux-image-amd64 is the suite's meta package: it depends on exactly one versioned image.
image=$(apt-cache "${apt_private[@]}" depends linux-image-amd64 2>/dev/null |
        awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$image" ] || { echo "fetch-kernel: $suite has no linux-image-amd64 dependency" >&2; exit 1; }

(cd "$dir" && rm -f ./*.deb && apt-get "${apt_private[@]}" download -qq "$image" >&2)
rm -rf "$dir/root" && mkdir -p "$dir/root"
for deb in "$dir"/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
release=$(ls "$(modules_of "$dir")" | head -n 1)
[ -f "$dir/root/boot/vmlinuz-$release" ] || { echo "fetch-kernel: no vmlinuz in $image" >&2; exit 1; }
rm -f "$dir"/*.deb
# The guest loads modules (veth, bridge, nf_*) with this machine's modprobe, which needs
# modules.dep; depmod looks under BASE/lib/modules, which Debian 13's package keeps under usr/.
[ -e "$dir/root/lib" ] || ln -s usr/lib "$dir/root/lib"
depmod -b "$dir/root" "$release"
echo "$release" > "$dir/release"
echo "$dir $release"
