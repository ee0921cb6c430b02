#!/usr/bin/env bash
# Builds the guest's initramfs for an unpacked kernel: busybox-static, the kernel package's own
# modules for virtio, 9p and overlayfs (with their dependencies, in load order, decompressed for
# busybox's insmod) and initramfs-init. Cached beside the kernel, keyed by the inputs; prints
# its path.
#   tests/vm/make-initramfs.sh KERNEL_DIR RELEASE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kernel_dir=${1:?usage: make-initramfs.sh KERNEL_DIR RELEASE}
release=${2:?usage: make-initramfs.sh KERNEL_DIR RELEASE}
runner=$here/guest-job.sh

key=$(cat "$here/initramfs-init" "$0" /bin/busybox | sha256sum | cut -c1-12)
key=$key-$(echo "$runner" | sha256sum | cut -c1-8)
image=$kernel_dir/initramfs-$key.cpio.gz
if [ -s "$image" ]; then echo "$image"; exit 0; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,proc,sys,dev,modules}
cp /bin/busybox "$work/bin/busybox"
cp "$here/initramfs-init" "$work/init"
echo "$runner" > "$work/job-runner"

: > "$work/modules.order"
for module in virtio_pci 9pnet_virtio 9p overlay; do
    modprobe --show-depends -d "$kernel_dir/root" -S "$release" "$module" |
        awk '$1 == "insmod" {print $2}'
done | awk '!seen[$0]++' | while read -r path; do
    name=$(basename "$path")
    case "$name" in
        *.ko.xz) xz -dc "$path" > "$work/modules/${name%.xz}"; name=${name%.xz} ;;
        *) cp "$path" "$work/modules/$name" ;;
    esac
    echo "$name" >> "$work/modules.order"
done

(cd "$work" && find . | busybox cpio -o -H newc 2> /dev/null | gzip -1) > "$image.tmp"
mv "$image.tmp" "$image"
echo "$image"
