#!/usr/bin/env bash
# Undoes start.sh and whatever the tests left: destroys and undefines every domain, network,
# storage pool (with its volumes) and volume whose name starts with $TEST_PREFIX, stops libvirtd
# and virtlogd, ends any qemu or dnsmasq still in the namespace (libvirt lost track of them),
# deletes the namespace, and unmounts /run/netns if start.sh mounted it. Safe to run again, or
# without a start. One environment per machine: stopping it stops it for every run using it.
set -uo pipefail
. "$(dirname "$0")/env.sh"

names() { "${VIRSH[@]}" "$@" 2>/dev/null | awk -v p="$TEST_PREFIX" 'index($1, p) == 1 {print $1}'; }
if alive "$STATE/libvirtd.pid"; then
  for dom in $(names list --all --name); do
    echo "removing domain $dom"
    "${VIRSH[@]}" destroy "$dom" >/dev/null 2>&1
    "${VIRSH[@]}" undefine "$dom" --nvram >/dev/null 2>&1 || "${VIRSH[@]}" undefine "$dom" >/dev/null 2>&1
  done
  for net in $(names net-list --all --name); do
    echo "removing network $net"
    "${VIRSH[@]}" net-destroy "$net" >/dev/null 2>&1
    "${VIRSH[@]}" net-undefine "$net" >/dev/null 2>&1
  done
  for pool in $("${VIRSH[@]}" pool-list --name 2>/dev/null); do
    for vol in $("${VIRSH[@]}" vol-list "$pool" 2>/dev/null | awk -v p="$TEST_PREFIX" 'index($1, p) == 1 {print $1}'); do
      echo "removing volume $pool/$vol"
      "${VIRSH[@]}" vol-delete "$vol" --pool "$pool" >/dev/null 2>&1
    done
  done
  for pool in $(names pool-list --all --name); do
    echo "removing storage pool $pool and its volumes"
    "${VIRSH[@]}" pool-start "$pool" >/dev/null 2>&1
    for vol in $("${VIRSH[@]}" vol-list "$pool" 2>/dev/null | awk '{print $1}'); do
      "${VIRSH[@]}" vol-delete "$vol" --pool "$pool" >/dev/null 2>&1
    done
    "${VIRSH[@]}" pool-destroy "$pool" >/dev/null 2>&1
    "${VIRSH[@]}" pool-undefine "$pool" >/dev/null 2>&1
  done
fi

stop_pid() { # NAME PIDFILE: SIGTERM, then SIGKILL after 10 s
  alive "$2" || { rm -f "$2"; return 0; }
  local pid; pid=$(cat "$2")
  kill "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { echo "$1 (pid $pid) ignored SIGTERM, killing it"; kill -9 "$pid"; }
  rm -f "$2"
}
stop_pid libvirtd "$STATE/libvirtd.pid"
stop_pid virtlogd "$STATE/virtlogd.pid"

if ip netns list | grep -q "^$NETNS\b"; then
  # Only what libvirt itself starts: anything else in the namespace (a test JVM, its PostgreSQL) is
  # someone's run, which is named and left alone; it loses libvirt either way.
  for pid in $(ip netns pids "$NETNS" 2>/dev/null); do
    comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
    case "$comm" in
      qemu-system-*|dnsmasq) echo "ending $comm (pid $pid), still in network namespace $NETNS"; kill -9 "$pid" 2>/dev/null ;;
      *) echo "left alone: $comm (pid $pid) still runs in network namespace $NETNS" ;;
    esac
  done
  ip netns del "$NETNS"
fi
if [ -f "$STATE/mounted-run-netns" ] && [ -z "$(ls -A /run/netns 2>/dev/null)" ]; then
  umount /run/netns 2>/dev/null
  [ -f "$STATE/made-run-netns" ] && rmdir /run/netns 2>/dev/null
fi
# The tests' console logs and seed images: their failures already quoted what they needed.
rm -f /var/log/libvirt/qemu/"$TEST_PREFIX"*
rm -rf /var/tmp/drydock-libvirt-test
rm -rf "$STATE"
exit 0
