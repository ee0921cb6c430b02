#!/usr/bin/env bash
# Fetches a second Docker engine for the labs: Debian 13 (trixie)'s docker.io (26.1.x) and
# containerd packages, downloaded with a private apt source list and state (never the system's)
# and unpacked with dpkg-deb -x into ${PATHWHY_ENGINE_CACHE:-/var/cache/pathwhy/engines}/docker-26.1/,
# outside the checkout. Nothing is installed: a lab puts DIR/root/usr/sbin and DIR/root/usr/bin
# first on its dockerd's PATH. Debian 12's /usr/sbin/runc stays the runtime (trixie's runc needs
# glibc 2.38), so trixie's runc is not fetched. Safe to re-run: an unpacked engine is reused.
# Prints the engine's directory on stdout.
set -euo pipefail

cache=${PATHWHY_ENGINE_CACHE:-/var/cache/pathwhy/engines}
dir=$cache/docker-26.1
suite=trixie
packages=(docker.io containerd)

engine_complete() {
    [ -x "$dir/root/usr/sbin/dockerd" ] && [ -x "$dir/root/usr/bin/containerd" ] &&
        [ -x "$dir/root/usr/bin/containerd-shim-runc-v2" ] && [ -f "$dir/version" ]
}

if engine_complete; then
    echo "$dir"
    exit 0
fi

mkdir -p "$dir"
. "$(dirname "$0")/private-apt.sh"
private_apt "$dir" "$suite"

# The labs' facts about this engine (../shared/DOCKER.md) are 26.1's: refuse another minor.
candidate=$(apt-cache "${apt_private[@]}" policy docker.io | awk '/Candidate:/ {print $2}')
case "$candidate" in
    26.1.*) ;;
    *) echo "fetch-docker-engine: $suite's docker.io is '$candidate', not 26.1.x" >&2; exit 1 ;;
esac

(cd "$dir" && rm -f ./*.deb && apt-get "${apt_private[@]}" download -qq "${packages[@]}" >&2)
rm -rf "$dir/root" && mkdir -p "$dir/root"
for deb in "$dir"/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
rm -f "$dir"/*.deb
# dockerd finds runc on PATH: a trixie runc unpacked here would shadow Debian 12's.
rm -f "$dir/root/usr/sbin/runc" "$dir/root/usr/bin/runc"
echo "$candidate" > "$dir/version"
engine_complete || { echo "fetch-docker-engine: $dir lacks dockerd or containerd" >&2; exit 1; }
echo "$dir"
