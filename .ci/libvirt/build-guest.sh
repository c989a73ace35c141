#!/usr/bin/env bash
# Builds the test guest the libvirt-host tests boot: Debian's own kernel (the uncompressed vmlinux,
# whose PVH entry boots twice as fast under TCG as the bzImage) and a 5 MB busybox + dropbear
# initramfs whose /init acts like cloud-init on the few NoCloud keys Drydock writes:
#   - DHCP (udhcpc) on the first NIC, so the host learns the IP from libvirt's DHCP lease, or
#     reaches it through a user-mode port forward;
#   - the NoCloud seed: a volume labelled cidata (ISO9660 or vfat; CD-ROM or disk) with meta-data
#     (instance-id, local-hostname) and user-data (#cloud-config with ssh_authorized_keys and
#     ssh_keys.ed25519_private/ed25519_public): the keys become root's authorized_keys and
#     dropbear's host key, so the host key a client sees is the one Drydock generated and pinned;
#   - dropbear on port 22 with OpenSSH's sftp-server for SFTP.
# The guest's own scripts are guest/init, guest/udhcpc.script and guest/cloud-config.awk.
# Nothing is installed on the host: the kernel and busybox-static are unpacked from their .debs
# (busybox-static would replace the busybox the webroot tests use).
#
# Usage: build-guest.sh [DIR]   (default /var/lib/drydock-test-guest; tests read DRYDOCK_TEST_GUEST_DIR)
# DIR gets vmlinux, initrd.gz, kernel-version and .complete, all readable by libvirt-qemu. A DIR
# whose .complete is newer than this script and guest/* is up to date and left alone.
set -euo pipefail
DIR=${1:-${DRYDOCK_TEST_GUEST_DIR:-/var/lib/drydock-test-guest}}
SELF=$(readlink -f "$0")
HERE=$(dirname "$SELF")
up_to_date() {
  [ -f "$DIR/.complete" ] || return 1
  for source in "$SELF" "$HERE"/guest/*; do [ "$DIR/.complete" -nt "$source" ] || return 1; done
}
if up_to_date; then
  echo "test guest in $DIR is up to date"
  exit 0
fi
for tool in apt-get dpkg-deb depmod modprobe cpio gzip python3 dropbear dropbearkey dropbearconvert; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run .ci/libvirt/install.sh first" >&2; exit 1; }
done
[ -x /usr/lib/openssh/sftp-server ] || { echo "/usr/lib/openssh/sftp-server is missing: run .ci/libvirt/install.sh first" >&2; exit 1; }

W=$(mktemp -d /var/tmp/drydock-guest-build.XXXXXX)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/deb" "$W/out"
chmod 755 "$W"
# apt-get download drops root to _apt when that user can write the directory, and warns otherwise.
chown _apt "$W/deb" 2>/dev/null || true

KPKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
[ -n "$KPKG" ] || { echo "cannot tell which kernel linux-image-amd64 depends on: is apt's package list there?" >&2; exit 1; }
KVER=${KPKG#linux-image-}
download() { (cd "$W/deb" && apt-get download -q "$@"); }
if ! download "$KPKG" busybox-static; then
  apt-get update --quiet --quiet   # the lists may name a version the mirror no longer has
  download "$KPKG" busybox-static
fi
dpkg-deb -x "$W"/deb/linux-image-*.deb "$W/kroot"
dpkg-deb -x "$W"/deb/busybox-static_*.deb "$W/busybox"
depmod -b "$W/kroot" "$KVER"
python3 - "$W/kroot/boot/vmlinuz-$KVER" "$W/out/vmlinux" <<'PY'
import lzma, sys
data = open(sys.argv[1], 'rb').read()
start = data.find(b'\xfd7zXZ\x00')
if start < 0:
    sys.exit('no xz stream in ' + sys.argv[1])
open(sys.argv[2], 'wb').write(lzma.LZMADecompressor().decompress(data[start:]))
PY

R="$W/root"
mkdir -p "$R"/{bin,sbin,etc/dropbear,proc,sys,dev,run,tmp,seed,root/.ssh,usr/bin,usr/sbin,usr/lib,var/log}
install -m755 "$W/busybox/bin/busybox" "$R/bin/busybox"
copy_binary() { # SOURCE DEST: a dynamically linked binary and the libraries it needs
  install -D -m755 "$1" "$R$2"
  ldd "$1" | awk '/=> \//{print $3} /^\t\/lib64/{print $1}' | while read -r lib; do
    [ -e "$R$lib" ] || install -D -m755 "$lib" "$R$lib"
  done
}
copy_binary /usr/sbin/dropbear /usr/sbin/dropbear
copy_binary "$(command -v dropbearkey)" /usr/bin/dropbearkey
copy_binary "$(command -v dropbearconvert)" /usr/bin/dropbearconvert
copy_binary /usr/lib/openssh/sftp-server /usr/lib/sftp-server   # the path dropbear runs for "sftp"

# Modules, in load order: virtio NIC and disks, IDE/AHCI/SCSI CD-ROMs, ISO9660 and vfat for the
# seed, ext4 for a data disk. modprobe takes extra names as parameters, so once per module.
: > "$W/modules"
for module in virtio_pci virtio_net virtio_blk virtio_scsi ata_piix ahci sr_mod isofs vfat nls_cp437 nls_ascii nls_utf8 ext4; do
  modprobe -d "$W/kroot" -S "$KVER" --show-depends "$module" | awk '/^insmod/{print $2}' >> "$W/modules"
done
awk '!seen[$0]++' "$W/modules" | while read -r path; do
  rel=${path#"$W/kroot"}
  install -D -m644 "$path" "$R$rel"
  echo "$rel" >> "$R/etc/modules.load"
done

echo 'root:x:0:0:root:/root:/bin/sh' > "$R/etc/passwd"
echo 'root:*:19000:0:99999:7:::' > "$R/etc/shadow"
echo 'root:x:0:' > "$R/etc/group"
echo '/bin/sh' > "$R/etc/shells"
ln -s ../run "$R/var/run"   # dropbear's pid file
chmod 700 "$R/root" "$R/root/.ssh"
cp "$HERE/guest/init" "$R/init"
cp "$HERE/guest/udhcpc.script" "$R/etc/udhcpc.script"
cp "$HERE/guest/cloud-config.awk" "$R/etc/cloud-config.awk"
chmod 755 "$R/init" "$R/etc/udhcpc.script"
(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) > "$W/out/initrd.gz"
echo "$KVER" > "$W/out/kernel-version"

# Swap in the new guest whole, so a reader never sees half of one.
mkdir -p "$(dirname "$DIR")"
rm -rf "$DIR.new"
mv "$W/out" "$DIR.new"
chmod 755 "$DIR.new"
chmod 644 "$DIR.new"/*
touch "$DIR.new/.complete"
rm -rf "$DIR"
mv "$DIR.new" "$DIR"
echo "test guest (kernel $KVER) built in $DIR"
