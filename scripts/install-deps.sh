#!/usr/bin/env bash
# Installs everything pathwhy needs to build, test and run its demo, from Debian packages only.
# Safe to run again. Never starts a Docker daemon on the host: the labs start their own, inside
# network namespaces they create.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: run as root (apt-get install)" >&2
    exit 2
fi

packages=(
    # build
    cmake make g++ pkg-config clang bpftool
    # libFuzzer for the recording reader's fuzz test (clang only recommends it)
    libclang-rt-14-dev
    # libraries (see README "Dependencies" for why each)
    libbpf-dev libelf-dev zlib1g-dev libcli11-dev libfmt-dev libgtest-dev
    nlohmann-json3-dev libcurl4-openssl-dev libmnl-dev
    # labs: namespaces, a real dockerd, a busybox image, netfilter tools
    iproute2 iptables conntrack docker.io busybox-static procps util-linux python3
    # systemd-analyze, for the test that verifies the recorder's unit file
    systemd
    # the kernel matrix (tests/vm): stock Debian kernels under qemu, their modules loaded with
    # this machine's modprobe
    qemu-system-x86 kmod xz-utils
    # the Vagrantfile's test: `vagrant validate` only (~50 packages, mostly Ruby; starts nothing)
    vagrant
)

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq

# docker.io's postinst would start a daemon in the host's own namespace, which creates docker0
# and iptables rules there. Forbid service starts during the install unless a policy already
# exists (container images ship one).
temporary_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    temporary_policy=/usr/sbin/policy-rc.d
fi
trap '[ -n "$temporary_policy" ] && rm -f "$temporary_policy"' EXIT

apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
echo "install-deps: ${#packages[@]} packages present"
# The labs' second engine (Docker 26.1, unpacked outside the checkout; installs nothing)
"$(dirname "$0")/fetch-docker-engine.sh" >/dev/null
