package dev.drydock.blueprint.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.spi.ObjectTags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.NamespaceContext;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** The domain and volume XML hold every element libvirt needs, escape every value, and our metadata reads back. */
class DomainXmlTest {
    private static final ObjectTags OWNER = new ObjectTags(NamesTest.INSTALLATION, 7, 42);
    private final Names names = new Names(OWNER);

    @Test
    void aBaseImageVmOnALibvirtNetwork() {
        LibvirtConfig config = TestConfigs.read(TestConfigs.BASE_IMAGE, Map.of("memoryMiB", "2048", "vcpus", "2"));
        Document xml = Xml.parse(DomainXml.domain(config, names, 0));
        assertThat(text(xml, "/domain/@type")).isEqualTo("kvm");
        assertThat(text(xml, "/domain/name")).isEqualTo(names.domain());
        assertThat(text(xml, "/domain/memory")).isEqualTo("2048");
        assertThat(text(xml, "/domain/memory/@unit")).isEqualTo("MiB");
        assertThat(text(xml, "/domain/vcpu")).isEqualTo("2");
        assertThat(text(xml, "/domain/os/type")).isEqualTo("hvm");
        assertThat(text(xml, "/domain/os/boot/@dev")).isEqualTo("hd");
        assertThat(count(xml, "/domain/os/kernel")).isZero();
        assertThat(text(xml, "/domain/on_poweroff")).isEqualTo("destroy");
        assertThat(text(xml, "/domain/on_crash")).isEqualTo("destroy");
        assertThat(text(xml, "/domain/devices/disk[1]/source/@pool")).isEqualTo("default");
        assertThat(text(xml, "/domain/devices/disk[1]/source/@volume")).isEqualTo(names.overlayVolume());
        assertThat(text(xml, "/domain/devices/disk[1]/driver/@type")).isEqualTo("qcow2");
        assertThat(text(xml, "/domain/devices/disk[1]/target/@dev")).isEqualTo("vda");
        assertThat(text(xml, "/domain/devices/disk[1]/alias/@name")).isEqualTo("ua-drydock-disk");
        assertThat(text(xml, "/domain/devices/disk[2]/source/@volume")).isEqualTo(names.seedVolume());
        assertThat(text(xml, "/domain/devices/disk[2]/driver/@type")).isEqualTo("raw");
        assertThat(text(xml, "/domain/devices/disk[2]/target/@dev")).isEqualTo("vdb");
        assertThat(text(xml, "/domain/devices/disk[2]/serial")).isEqualTo("cidata");
        assertThat(count(xml, "/domain/devices/disk[2]/readonly")).isEqualTo(1);
        assertThat(text(xml, "/domain/devices/interface/@type")).isEqualTo("network");
        assertThat(text(xml, "/domain/devices/interface/source/@network")).isEqualTo("default");
        assertThat(text(xml, "/domain/devices/interface/mac/@address")).isEqualTo(names.mac());
        assertThat(text(xml, "/domain/devices/interface/model/@type")).isEqualTo("virtio");
        assertThat(text(xml, "/domain/devices/channel[@type='unix']/target/@name")).as("the guest agent, where DHCP is not libvirt's")
                .isEqualTo("org.qemu.guest_agent.0");
        assertThat(text(xml, "/domain/devices/serial/@type")).isEqualTo("pty");
        assertThat(text(xml, "/domain/devices/console/target/@type")).isEqualTo("serial");
        assertThat(text(xml, "/domain/metadata/d:resource/@installation")).isEqualTo(NamesTest.INSTALLATION);
        assertThat(text(xml, "/domain/metadata/d:resource/@blueprint")).isEqualTo("7");
        assertThat(text(xml, "/domain/metadata/d:resource/@resource")).isEqualTo("42");
        assertThat(count(xml, "/domain/q:commandline")).isZero();
    }

    @Test
    void aKernelBootVmWithUserModeNetworking() {
        LibvirtConfig config = TestConfigs.read(TestConfigs.KERNEL_USER_MODE);
        Document xml = Xml.parse(DomainXml.domain(config, names, 2242));
        assertThat(text(xml, "/domain/@type")).isEqualTo("qemu");
        assertThat(text(xml, "/domain/memory")).isEqualTo("256");
        assertThat(text(xml, "/domain/os/kernel")).isEqualTo("/var/lib/libvirt/boot/vmlinux");
        assertThat(text(xml, "/domain/os/initrd")).isEqualTo("/var/lib/libvirt/boot/initrd.gz");
        assertThat(text(xml, "/domain/os/cmdline")).isEqualTo("console=ttyS0 panic=-1 quiet");
        assertThat(count(xml, "/domain/devices/disk")).as("the seed alone").isEqualTo(1);
        assertThat(text(xml, "/domain/devices/disk/target/@dev")).isEqualTo("vda");
        assertThat(count(xml, "/domain/devices/interface")).isZero();
        assertThat(count(xml, "/domain/devices/channel")).as("user mode has its address already").isZero();
        List<String> args = new ArrayList<>();
        NodeList found = nodes(xml, "/domain/q:commandline/q:arg/@value");
        for (int i = 0; i < found.getLength(); i++) {
            args.add(found.item(i).getNodeValue());
        }
        assertThat(args).containsExactly("-netdev", "user,id=drydock0,restrict=on,hostfwd=tcp:127.0.0.1:2242-:22",
                "-device", "virtio-net-pci,netdev=drydock0,mac=" + names.mac() + ",bus=pci.0,addr=0x10");
        assertThat(DomainXml.owner(DomainXml.domain(config, names, 2242))).contains(OWNER);
    }

    @Test
    void userModeWithoutAPortIsABug() {
        assertThatThrownBy(() -> DomainXml.domain(TestConfigs.read(TestConfigs.KERNEL_USER_MODE), names, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyValueIsEscaped() {
        String hostile = "console=ttyS0 x=\"<&'>\" ]]> </cmdline><evil/>";
        LibvirtConfig config = TestConfigs.read(TestConfigs.KERNEL_USER_MODE,
                Map.of("kernelCommandLine", "\"" + hostile.replace("\"", "\\\"") + "\"", "kernel", "\"/boot/a&b<c>\""));
        String domain = DomainXml.domain(config, names, 2200);
        Document xml = Xml.parse(domain);
        assertThat(text(xml, "/domain/os/cmdline")).isEqualTo(hostile);
        assertThat(text(xml, "/domain/os/kernel")).isEqualTo("/boot/a&b<c>");
        assertThat(count(xml, "//evil")).isZero();
    }

    @Test
    void ourMetadataReadsBackAndForeignOrMalformedDomainsHaveNoOwner() {
        String ours = DomainXml.domain(TestConfigs.read(TestConfigs.BASE_IMAGE), names, 0);
        assertThat(DomainXml.owner(ours)).contains(OWNER);
        // libvirt may rewrite the prefix; only the namespace counts
        assertThat(DomainXml.owner(ours.replace("drydock:", "x:").replace("xmlns:drydock", "xmlns:x"))).contains(OWNER);
        assertThat(DomainXml.owner("<domain type='kvm'><name>web</name><metadata><resource installation='"
                + NamesTest.INSTALLATION + "' blueprint='7' resource='42'/></metadata></domain>")).as("no namespace").isEmpty();
        assertThat(DomainXml.owner("<domain><metadata><d:resource xmlns:d='" + DomainXml.NAMESPACE
                + "' installation='i' blueprint='x' resource='1'/></metadata></domain>")).as("malformed id").isEmpty();
        assertThat(DomainXml.owner("<domain><name>plain</name></domain>")).isEmpty();
        assertThatThrownBy(() -> DomainXml.owner("<!DOCTYPE d [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><domain>&e;</domain>"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theOverlayNamesItsBackingFileAndFormatAndTheSeedIsRaw() {
        Document overlay = Xml.parse(VolumeXml.overlay(names.overlayVolume(), 2_147_483_648L,
                "/var/lib/libvirt/images/debian & co.qcow2", "qcow2"));
        assertThat(text(overlay, "/volume/name")).isEqualTo(names.overlayVolume());
        assertThat(text(overlay, "/volume/capacity")).isEqualTo("2147483648");
        assertThat(text(overlay, "/volume/capacity/@unit")).isEqualTo("bytes");
        assertThat(text(overlay, "/volume/target/format/@type")).isEqualTo("qcow2");
        assertThat(text(overlay, "/volume/backingStore/path")).isEqualTo("/var/lib/libvirt/images/debian & co.qcow2");
        assertThat(text(overlay, "/volume/backingStore/format/@type")).isEqualTo("qcow2");
        assertThat(text(Xml.parse(VolumeXml.overlay("o", 1, "/b.img", "raw")), "/volume/backingStore/format/@type")).isEqualTo("raw");

        Document seed = Xml.parse(VolumeXml.seed(names.seedVolume(), 53_248));
        assertThat(text(seed, "/volume/name")).isEqualTo(names.seedVolume());
        assertThat(text(seed, "/volume/capacity")).isEqualTo("53248");
        assertThat(text(seed, "/volume/target/format/@type")).isEqualTo("raw");
        assertThat(count(seed, "/volume/backingStore")).isZero();
        assertThatThrownBy(() -> VolumeXml.seed("s", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String text(Document xml, String path) {
        NodeList found = nodes(xml, path);
        assertThat(found.getLength()).as(path).isEqualTo(1);
        return found.item(0).getTextContent();
    }

    private static int count(Document xml, String path) {
        return nodes(xml, path).getLength();
    }

    private static NodeList nodes(Document xml, String path) {
        XPath xpath = XPathFactory.newInstance().newXPath();
        xpath.setNamespaceContext(new NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return switch (prefix) {
                    case "d" -> DomainXml.NAMESPACE;
                    case "q" -> DomainXml.QEMU_NAMESPACE;
                    default -> "";
                };
            }

            @Override
            public String getPrefix(String uri) {
                return null;
            }

            @Override
            public java.util.Iterator<String> getPrefixes(String uri) {
                return null;
            }
        });
        try {
            return (NodeList) xpath.evaluate(path, xml, XPathConstants.NODESET);
        } catch (XPathExpressionException e) {
            throw new AssertionError(path, e);
        }
    }
}
