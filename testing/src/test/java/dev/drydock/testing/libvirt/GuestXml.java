package dev.drydock.testing.libvirt;

import dev.drydock.testing.LibvirtEnvironment;
import java.nio.file.Path;
import java.util.HexFormat;

/** The libvirt XML the smoke test boots the test guest with: TCG, direct kernel boot, 256 MiB. */
final class GuestXml {
    private GuestXml() {}

    /** An isolated network (no {@code <forward>}) with DHCP; {@code no-ping} saves dnsmasq's 3 s address check. */
    static String isolatedNetwork(String name, int subnet) {
        return """
                <network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>
                  <name>%s</name>
                  <bridge stp='off' delay='0'/>
                  <ip address='192.168.%d.1' netmask='255.255.255.0'>
                    <dhcp><range start='192.168.%d.10' end='192.168.%d.99'/></dhcp>
                  </ip>
                  <dnsmasq:options><dnsmasq:option value='no-ping'/></dnsmasq:options>
                </network>
                """.formatted(name, subnet, subnet, subnet);
    }

    /**
     * {@code <domain>} with the test guest's kernel; {@code devices} and {@code qemuCommandLine} are
     * spliced in. The serial console goes to {@link LibvirtEnvironment#serialLog(String)}.
     */
    static String domain(String name, String nic, String seedDisk, String qemuCommandLine) {
        return """
                <domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
                  <name>%s</name>
                  <memory unit='MiB'>256</memory>
                  <vcpu>1</vcpu>
                  <os>
                    <type arch='x86_64' machine='pc'>hvm</type>
                    <kernel>%s</kernel>
                    <initrd>%s</initrd>
                    <cmdline>%s</cmdline>
                  </os>
                  <on_poweroff>destroy</on_poweroff><on_reboot>destroy</on_reboot><on_crash>destroy</on_crash>
                  <devices>
                    %s
                    %s
                    <serial type='file'><source path='%s'/></serial>
                    <memballoon model='none'/>
                  </devices>
                  %s
                </domain>
                """.formatted(name, LibvirtEnvironment.kernel(), LibvirtEnvironment.initrd(),
                LibvirtEnvironment.KERNEL_COMMAND_LINE, nic, seedDisk, LibvirtEnvironment.serialLog(name), qemuCommandLine);
    }

    static String networkInterface(String network, String mac) {
        return "<interface type='network'><source network='%s'/><mac address='%s'/><model type='virtio'/></interface>"
                .formatted(network, mac);
    }

    /** The seed as an IDE CD-ROM: the guest sees {@code /dev/sr0}. */
    static String cdrom(Path iso) {
        return "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='%s'/>"
                .formatted(iso) + "<target dev='hdc' bus='ide'/><readonly/></disk>";
    }

    /** The seed as a read-only virtio disk: the guest sees {@code /dev/vda}. */
    static String virtioDisk(Path iso) {
        return "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='%s'/>"
                .formatted(iso) + "<target dev='vdb' bus='virtio'/><readonly/></disk>";
    }

    /**
     * User-mode (slirp) networking with the guest's port 22 forwarded to 127.0.0.1:{@code port}, as
     * QEMU arguments: Debian's libvirt has passt disabled. {@code restrict=on} keeps the guest from
     * reaching anything but the forward; the fixed PCI address keeps clear of libvirt's own devices.
     */
    static String userModeNetwork(int port, String mac) {
        return """
                <qemu:commandline>
                    <qemu:arg value='-netdev'/>
                    <qemu:arg value='user,id=un0,restrict=on,hostfwd=tcp:127.0.0.1:%d-:22'/>
                    <qemu:arg value='-device'/>
                    <qemu:arg value='virtio-net-pci,netdev=un0,mac=%s,bus=pci.0,addr=0x10'/>
                  </qemu:commandline>
                """.formatted(port, mac);
    }

    /** A fixed, locally administered MAC derived from the name, so a retry never meets a stale ARP entry. */
    static String mac(String name) {
        int h = name.hashCode();
        return "52:54:00:" + HexFormat.ofDelimiter(":").formatHex(new byte[] {(byte) (h >> 16), (byte) (h >> 8), (byte) h});
    }
}
