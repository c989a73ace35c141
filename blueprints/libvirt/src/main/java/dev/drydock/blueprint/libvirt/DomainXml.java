package dev.drydock.blueprint.libvirt;

import dev.drydock.api.spi.ObjectTags;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The domain XML of one VM, and our metadata read back from a domain's XML. What it writes:
 * <ul>
 *   <li>{@code <metadata>} holding one {@code <drydock:resource>} element in our own namespace
 *       {@link #NAMESPACE} with the installation, blueprint and resource ids (libvirt drops
 *       metadata without a namespace), written at define time, never by a later call;</li>
 *   <li>memory and vCPUs; an x86_64 {@code pc} machine; a direct kernel boot (kernel, initrd,
 *       command line) when configured;</li>
 *   <li>the overlay volume as virtio disk {@code vda} when there is a base image, and the NoCloud
 *       seed as the next virtio disk, read-only, serial {@code cidata}; both by pool and volume name
 *       and with {@code ua-} aliases that say they are ours;</li>
 *   <li>the NIC: on a libvirt network with the MAC from {@link Names#mac} and a QEMU guest agent
 *       channel (where the network's own DHCP does not know the address, a guest's agent can say
 *       it), or user-mode through
 *       {@code <qemu:commandline>} ({@code -netdev user,…,hostfwd=tcp:127.0.0.1:PORT-:22} and a
 *       virtio-net-pci device at PCI address 0x10, which libvirt never assigns itself);</li>
 *   <li>a serial console on a pty, a virtio RNG, no balloon; {@code on_poweroff} and
 *       {@code on_crash} destroy, so a VM that stops is seen as gone, never half-alive.</li>
 * </ul>
 */
final class DomainXml {
    /** Our metadata's namespace; the element is {@code <drydock:resource>}. */
    static final String NAMESPACE = "https://drydock.dev/xmlns/libvirt/1";
    /** The virtio-serial port name the QEMU guest agent listens on. */
    static final String GUEST_AGENT = "org.qemu.guest_agent.0";
    static final String METADATA_PREFIX = "drydock";
    static final String QEMU_NAMESPACE = "http://libvirt.org/schemas/domain/qemu/1.0";
    static final String SEED_SERIAL = "cidata";
    static final String USER_NETDEV = "drydock0";

    private DomainXml() {}

    /**
     * The domain of the VM {@code names} belongs to, as {@code config} describes it.
     *
     * @param sshPort with user-mode networking, the hypervisor's 127.0.0.1 port SSH is forwarded from
     *                ({@link Names#sshPort}); ignored on a libvirt network
     */
    static String domain(LibvirtConfig config, Names names, int sshPort) {
        if (config.network().isUserMode() && (sshPort < 1 || sshPort > 65535)) {
            throw new IllegalArgumentException("user-mode networking needs the forwarded SSH port, was " + sshPort);
        }
        Xml xml = Xml.newDocument();
        Element domain = xml.add(null, "domain", null, "type", config.domainTypeOrDefault());
        xml.add(domain, "name", names.domain());
        xml.add(domain, "description", "Drydock resource " + names.tags().resourceId() + " of blueprint " + names.tags().blueprintId());
        metadata(xml, domain, names.tags());
        xml.add(domain, "memory", Integer.toString(config.memoryMiBOrDefault()), "unit", "MiB");
        xml.add(domain, "vcpu", Integer.toString(config.vcpusOrDefault()));
        Element os = xml.add(domain, "os", null);
        xml.add(os, "type", "hvm", "arch", "x86_64", "machine", "pc");
        if (config.bootsKernel()) {
            xml.add(os, "kernel", config.kernel());
            if (config.initrd() != null) {
                xml.add(os, "initrd", config.initrd());
            }
            xml.add(os, "cmdline", config.kernelCommandLineOrDefault());
        } else {
            xml.add(os, "boot", null, "dev", "hd");
        }
        xml.add(xml.add(domain, "features", null), "acpi", null);
        xml.add(domain, "on_poweroff", "destroy");
        xml.add(domain, "on_reboot", "restart");
        xml.add(domain, "on_crash", "destroy");
        Element devices = xml.add(domain, "devices", null);
        char disk = 'a';
        if (config.hasBaseImage()) {
            disk(xml, devices, config.storagePool(), names.overlayVolume(), "qcow2", "vd" + disk++, "ua-drydock-disk", false);
        }
        disk(xml, devices, config.storagePool(), names.seedVolume(), "raw", "vd" + disk, "ua-drydock-seed", true);
        if (!config.network().isUserMode()) {
            Element nic = xml.add(devices, "interface", null, "type", "network");
            xml.add(nic, "source", null, "network", config.network().name());
            xml.add(nic, "mac", null, "address", names.mac());
            xml.add(nic, "model", null, "type", "virtio");
            xml.add(xml.add(devices, "channel", null, "type", "unix"), "target", null, "type", "virtio", "name", GUEST_AGENT);
        }
        xml.add(xml.add(devices, "serial", null, "type", "pty"), "target", null, "port", "0");
        xml.add(xml.add(devices, "console", null, "type", "pty"), "target", null, "type", "serial", "port", "0");
        xml.add(xml.add(devices, "rng", null, "model", "virtio"), "backend", "/dev/urandom", "model", "random");
        xml.add(devices, "memballoon", null, "model", "none");
        if (config.network().isUserMode()) {
            userNetwork(xml, domain, config.network(), names, sshPort);
        }
        return xml.serialize();
    }

    /** The owner our metadata names in {@code domainXml}; empty when it has none (not ours) or a malformed one. */
    static Optional<ObjectTags> owner(String domainXml) {
        NodeList found = Xml.parse(domainXml).getElementsByTagNameNS(NAMESPACE, "resource");
        if (found.getLength() != 1) {
            return Optional.empty();
        }
        Element e = (Element) found.item(0);
        return ObjectTags.read(Map.of(ObjectTags.INSTALLATION, e.getAttribute("installation"),
                ObjectTags.BLUEPRINT, e.getAttribute("blueprint"), ObjectTags.RESOURCE, e.getAttribute("resource")));
    }

    private static void metadata(Xml xml, Element domain, ObjectTags tags) {
        Element metadata = xml.add(domain, "metadata", null);
        Element resource = xml.document().createElementNS(NAMESPACE, METADATA_PREFIX + ":resource");
        resource.setAttribute("installation", tags.installationId());
        resource.setAttribute("blueprint", Long.toString(tags.blueprintId()));
        resource.setAttribute("resource", Long.toString(tags.resourceId()));
        metadata.appendChild(resource);
    }

    private static void disk(Xml xml, Element devices, String pool, String volume, String format, String target, String alias,
                             boolean seed) {
        Element disk = xml.add(devices, "disk", null, "type", "volume", "device", "disk");
        xml.add(disk, "driver", null, "name", "qemu", "type", format);
        xml.add(disk, "source", null, "pool", pool, "volume", volume);
        xml.add(disk, "target", null, "dev", target, "bus", "virtio");
        if (seed) {
            xml.add(disk, "readonly", null);
            xml.add(disk, "serial", SEED_SERIAL);
        }
        xml.add(disk, "alias", null, "name", alias);
    }

    private static void userNetwork(Xml xml, Element domain, LibvirtConfig.Network network, Names names, int sshPort) {
        domain.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:qemu", QEMU_NAMESPACE);
        Element commandLine = xml.document().createElementNS(QEMU_NAMESPACE, "qemu:commandline");
        domain.appendChild(commandLine);
        String netdev = "user,id=" + USER_NETDEV + (network.restricted() ? ",restrict=on" : "")
                + ",hostfwd=tcp:127.0.0.1:" + sshPort + "-:22";
        String device = "virtio-net-pci,netdev=" + USER_NETDEV + ",mac=" + names.mac() + ",bus=pci.0,addr=0x10";
        for (String arg : new String[] {"-netdev", netdev, "-device", device}) {
            Element a = xml.document().createElementNS(QEMU_NAMESPACE, "qemu:arg");
            a.setAttribute("value", arg);
            commandLine.appendChild(a);
        }
    }
}
