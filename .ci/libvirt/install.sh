#!/usr/bin/env bash
# Installs what the real-libvirt tests need (the libvirt-host blueprint boots real guests under a
# real libvirtd) and makes /dev/kvm usable by libvirt's QEMU. Idempotent: apt runs only for packages
# that are missing. README.md here says how the pieces fit.
#
# - qemu-system-x86, qemu-utils: the guests run under QEMU (TCG; KVM here is nested PVM and cannot
#   run a stock kernel), qemu-img for the blueprint's overlays;
# - libvirt-daemon-system, -driver-qemu, libvirt-clients: libvirtd, virtlogd and virsh, started by
#   start.sh without systemd; dnsmasq-base and iptables for libvirt's isolated DHCP networks;
# - dropbear-bin, kmod, cpio, openssh-sftp-server, python3: build-guest.sh's initramfs (dropbear
#   and its key converter, modprobe to resolve the kernel modules, SFTP, vmlinux extraction).
#   busybox-static is not installed: it conflicts with the busybox the webroot tests use, so
#   build-guest.sh unpacks its .deb instead;
# - genisoimage: the smoke test writes its NoCloud seed ISO with it.
set -euo pipefail

packages=(qemu-system-x86 qemu-utils libvirt-daemon-system libvirt-daemon-driver-qemu libvirt-clients
          dnsmasq-base iptables iproute2 dropbear-bin kmod cpio openssh-client openssh-sftp-server
          python3 genisoimage)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages: ${missing[*]} (run $0 as root to install them)" >&2
    exit 1
  fi
  apt-get update --quiet --quiet
  # libvirt-daemon-system pulls in systemd; its postinst starts nothing on a machine without it.
  DEBIAN_FRONTEND=noninteractive apt-get install -y --quiet --quiet --no-install-recommends "${missing[@]}"
fi

# Without udev /dev/kvm stays root:root 0600. libvirt's QEMU (user libvirt-qemu, group kvm) then
# cannot open it, libvirt finds its cached QEMU capabilities "outdated" and re-probes QEMU about a
# dozen times in every domain start: 48 s each instead of under 1.5 s. The tests use TCG, but
# libvirt still probes KVM.
if [ -c /dev/kvm ] && getent group kvm >/dev/null; then
  if [ "$(stat -c %G:%a /dev/kvm)" != kvm:660 ]; then
    chgrp kvm /dev/kvm
    chmod 660 /dev/kvm
  fi
fi
