#!/usr/bin/env bash
# Starts the libvirt the real-libvirt tests use, without systemd: a network namespace $NETNS (only
# lo, up), and virtlogd and libvirtd inside it, so every bridge, dnsmasq and guest address a test
# makes exists only there and nothing can route to the outside. Run the tests in the same namespace
# (`ip netns exec drydock-ci mvn -B test`); libvirt's Unix socket is reachable from anywhere.
# Idempotent: a running start is left alone. stop.sh undoes all of it.
set -euo pipefail
. "$(dirname "$0")/env.sh"
[ "$(id -u)" = 0 ] || { echo "$0 must run as root (libvirtd, network namespaces)" >&2; exit 1; }
mkdir -p "$STATE"

if alive "$STATE/libvirtd.pid" && ip netns list | grep -q "^$NETNS\b"; then
  echo "libvirtd already running in network namespace $NETNS (pid $(cat "$STATE/libvirtd.pid"))"
  exit 0
fi
if pgrep -x libvirtd >/dev/null; then
  echo "another libvirtd runs (pid $(pgrep -x libvirtd | tr '\n' ' ')), not started by $0: stop it first" >&2
  exit 1
fi

if ! ip netns list | grep -q "^$NETNS\b"; then
  # ip netns add bind-mounts /run/netns onto itself the first time; stop.sh unmounts it only if we did.
  if ! mountpoint -q /run/netns 2>/dev/null; then
    [ -d /run/netns ] || touch "$STATE/made-run-netns"
    touch "$STATE/mounted-run-netns"
  fi
  ip netns add "$NETNS"
fi
ip netns exec "$NETNS" ip link set lo up

alive "$STATE/virtlogd.pid" || ip netns exec "$NETNS" virtlogd -d -p "$STATE/virtlogd.pid"
ip netns exec "$NETNS" libvirtd -d -p "$STATE/libvirtd.pid"
# The first connection probes QEMU's capabilities: about 8 s, 12 s or more on a loaded machine.
for _ in $(seq 1 600); do
  "${VIRSH[@]}" version >/dev/null 2>&1 && break
  sleep 0.1
done
if ! "${VIRSH[@]}" version >/dev/null 2>&1; then
  echo "libvirtd did not answer at qemu:///system within 60 s" >&2
  exit 1
fi
echo "libvirtd running in network namespace $NETNS (pid $(cat "$STATE/libvirtd.pid")): $("${VIRSH[@]}" version | tr -s ' ' | paste -sd ';')"
