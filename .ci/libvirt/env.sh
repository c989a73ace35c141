# Sourced by start.sh and stop.sh: the names they share.
# DRYDOCK_LIBVIRT_NETNS: the network namespace libvirtd and the test JVM run in (guest networks
# exist only there). State (pid files, what start.sh changed) lives in $STATE.
# Every domain, network, pool and volume the tests make starts with $TEST_PREFIX (see
# dev.drydock.testing.LibvirtEnvironment), so stop.sh can remove whatever a test left behind.
NETNS=${DRYDOCK_LIBVIRT_NETNS:-drydock-ci}
STATE=/run/drydock-libvirt
TEST_PREFIX=drydock-test-
VIRSH=(virsh -q -c qemu:///system)
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
