package dev.drydock.blueprint.libvirt;

import org.w3c.dom.Element;

/**
 * The storage volume XML of a VM's overlay and seed. The overlay is a qcow2 whose
 * {@code <backingStore>} names the base image's path <em>and its format</em>: leaving the format
 * out makes QEMU probe it, which libvirt and AppArmor refuse (OpenNebula/one PR #341).
 */
final class VolumeXml {
    private VolumeXml() {}

    /**
     * A qcow2 overlay of the base image at {@code basePath}.
     *
     * @param capacityBytes the guest's disk size: the base volume's capacity, or more
     * @param baseFormat    the base image's format, {@code qcow2} or {@code raw}
     */
    static String overlay(String name, long capacityBytes, String basePath, String baseFormat) {
        Xml xml = Xml.newDocument();
        Element volume = volume(xml, name, capacityBytes, "qcow2");
        Element backing = xml.add(volume, "backingStore", null);
        xml.add(backing, "path", basePath);
        xml.add(backing, "format", null, "type", baseFormat);
        return xml.serialize();
    }

    /** A raw volume of exactly {@code sizeBytes}, which the seed image is then uploaded into. */
    static String seed(String name, long sizeBytes) {
        Xml xml = Xml.newDocument();
        volume(xml, name, sizeBytes, "raw");
        return xml.serialize();
    }

    private static Element volume(Xml xml, String name, long capacityBytes, String format) {
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("a volume's capacity must be positive, was " + capacityBytes);
        }
        Element volume = xml.add(null, "volume", null);
        xml.add(volume, "name", name);
        xml.add(volume, "capacity", Long.toString(capacityBytes), "unit", "bytes");
        xml.add(xml.add(volume, "target", null), "format", null, "type", format);
        return volume;
    }
}
