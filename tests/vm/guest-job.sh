#!/bin/bash
# PID 1 of the guest after switch_root (see initramfs-init): mounts what a Debian system has
# (proc, sys, dev, cgroup2, bpffs, debugfs, tracefs, tmpfs on /run /tmp /var/...), links the
# stock kernel's modules where modprobe looks, runs the job the host wrote into the results share
# as root in the directory it named, records its exit status there and powers off.
out=/mnt/pathwhy-vm-out
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t bpf bpf /sys/fs/bpf
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
# The host's /tmp, read-only, for files a job wants from there (the guest's own /tmp is fresh).
mkdir -p /mnt/host/tmp && mount -o bind,ro /tmp /mnt/host/tmp
for dir in /run /tmp /var/log /var/lib/docker /var/lib/containerd /var/cache/apt /root; do
    mkdir -p "$dir" && mount -t tmpfs tmpfs "$dir"
done
mkdir -p /run/netns /run/lock
ip link set lo up
hostname pathwhy-vm

release=$(uname -r)
modules=$(cat "$out/modules-dir")
mkdir -p /usr/lib/modules
ln -sfn "$modules" "/usr/lib/modules/$release"

{
    # The job: environment, directory and command as the host wrote them (NUL-separated argv).
    set -a
    . "$out/env"
    set +a
    PATHWHY_VM_ACCEL=$(cat "$out/accel")
    export PATHWHY_VM_ACCEL
    cd "$(cat "$out/cwd")" || exit 125
    mapfile -d '' argv < "$out/argv"
    echo "pathwhy-vm: kernel $release, running: ${argv[*]}"
    "${argv[@]}"
} < /dev/null > /dev/console 2>&1
echo $? > "$out/rc"
sync
echo o > /proc/sysrq-trigger
sleep 60
