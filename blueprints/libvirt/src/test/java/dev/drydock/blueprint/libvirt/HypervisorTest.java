package dev.drydock.blueprint.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.spi.ObjectTags;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/**
 * The wrapper against libvirt's built-in test driver ({@code test:///default}: no daemon, a
 * running domain "test", pool "default-pool", network "default" with DHCP): capacity, our domains
 * and only ours, define/start/destroy/undefine with the NVRAM fallback, volumes, lease addresses.
 */
class HypervisorTest {
    private static final String TEST = TestDriverNode.DEFAULT;
    private static final AtomicLong RESOURCES = new AtomicLong(100);
    private static final String POOL = "default-pool";
    private Hypervisor hypervisor;
    private Names names;

    @BeforeEach
    void open() {
        hypervisor = TestDriverNode.openDefault();
        names = new Names(new ObjectTags(NamesTest.INSTALLATION, 7, RESOURCES.incrementAndGet()));
    }

    @AfterEach
    void close() {
        if (hypervisor != null) {
            hypervisor.close();
            hypervisor.close();
        }
    }

    @Test
    void capacityIsTheNodesWithOurFiguresAdded() throws Exception {
        Published.Capacity c = hypervisor.capacity(2, 512, 3);
        assertThat(c.uri()).isEqualTo(TEST);
        assertThat(c.cpus()).isEqualTo(16);
        assertThat(c.totalMemoryMiB()).isEqualTo(3072);
        assertThat(c.freeMemoryMiB()).as("the default driver's running domain 'test' was given 8 GiB").isZero();
        assertThat(c.ourVms()).isEqualTo(2);
        assertThat(c.ourPendingMemoryMiB()).isEqualTo(512);
        assertThat(c.ourVcpus()).isEqualTo(3);
    }

    /** A test driver of our own size (a node file), as the blueprint's placement tests can use one per "hypervisor". */
    @Test
    void freeMemoryIsWhatNoRunningDomainWasGiven(@TempDir Path dir) throws Exception {
        String uri = TestDriverNode.write(dir.resolve("node.xml"), 8192, 4, POOL, List.of());
        try (Hypervisor small = Hypervisor.open(uri)) {
            assertThat(small.capacity(0, 0, 0)).isEqualTo(new Published.Capacity(uri, 8192, 8192, 4, 0, 0, 0));
            LibvirtConfig config = TestConfigs.read(TestConfigs.KERNEL_USER_MODE, Map.of("memoryMiB", "1536"));
            small.define(DomainXml.domain(config, names, 2200));
            assertThat(small.capacity(0, 0, 0).freeMemoryMiB()).as("defined, not running").isEqualTo(8192);
            small.start(names.domain());
            assertThat(small.capacity(1, 0, 1).freeMemoryMiB()).isEqualTo(8192 - 1536);
            small.destroyAndUndefine(names.domain());
            assertThat(small.capacity(0, 0, 0).freeMemoryMiB()).isEqualTo(8192);
        }
    }

    @Test
    void aVmIsDefinedStartedListedGivenAnAddressAndRemovedIdempotently() throws Exception {
        LibvirtConfig config = TestConfigs.read(TestConfigs.BASE_IMAGE, Map.of("hypervisors", "[\"test:///default\"]",
                "storagePool", "\"" + POOL + "\"", "memoryMiB", "256"));
        String base = "base-" + names.tags().resourceId() + ".qcow2";
        hypervisor.createVolume(POOL, "<volume><name>" + base + "</name><capacity unit='bytes'>1073741824</capacity>"
                + "<target><format type='qcow2'/></target></volume>");
        Hypervisor.VolumeFacts facts = hypervisor.volume(POOL, base).orElseThrow();
        assertThat(facts.capacityBytes()).isEqualTo(1L << 30);
        hypervisor.createVolume(POOL, VolumeXml.overlay(names.overlayVolume(), facts.capacityBytes(), facts.path(), "qcow2"));
        hypervisor.createVolume(POOL, VolumeXml.seed(names.seedVolume(), 4 * Iso9660.SECTOR));
        assertThat(hypervisor.ourVolumes(POOL, NamesTest.INSTALLATION)).contains(names.overlayVolume(), names.seedVolume()).doesNotContain(base);

        hypervisor.define(DomainXml.domain(config, names, 0));
        assertThat(hypervisor.isRunning(names.domain())).contains(false);
        hypervisor.start(names.domain());
        hypervisor.start(names.domain());
        assertThat(hypervisor.isRunning(names.domain())).contains(true);
        assertThat(hypervisor.ourDomains(NamesTest.INSTALLATION)).contains(new Hypervisor.OwnedDomain(names.domain(), names.tags(), true))
                .noneMatch(d -> d.name().equals("test"));
        assertThat(hypervisor.ourDomains("another-installation")).isEmpty();
        assertThat(hypervisor.address(names.domain(), names.mac().toUpperCase(), false)).hasValueSatisfying(ip -> assertThat(ip).startsWith("192.168.122."));

        hypervisor.destroyAndUndefine(names.domain());
        hypervisor.destroyAndUndefine(names.domain());
        assertThat(hypervisor.isRunning(names.domain())).isEmpty();
        assertThat(hypervisor.address(names.domain(), names.mac(), false)).isEmpty();
        hypervisor.deleteVolume(POOL, names.overlayVolume());
        hypervisor.deleteVolume(POOL, names.overlayVolume());
        hypervisor.deleteVolume(POOL, names.seedVolume());
        hypervisor.deleteVolume(POOL, base);
        assertThat(hypervisor.ourVolumes(POOL, NamesTest.INSTALLATION)).doesNotContain(names.overlayVolume(), names.seedVolume());
        assertThat(hypervisor.volume(POOL, names.overlayVolume())).isEmpty();
    }

    @Test
    void aKernelBootUserModeDomainDefinesAndKeepsOurMetadata() throws Exception {
        LibvirtConfig config = TestConfigs.read(TestConfigs.KERNEL_USER_MODE, Map.of("storagePool", "\"" + POOL + "\""));
        hypervisor.define(DomainXml.domain(config, names, 2201));
        try {
            assertThat(hypervisor.ourDomains(NamesTest.INSTALLATION)).containsExactly(new Hypervisor.OwnedDomain(names.domain(), names.tags(), false));
        } finally {
            hypervisor.destroyAndUndefine(names.domain());
        }
        assertThat(hypervisor.ourDomains(NamesTest.INSTALLATION)).isEmpty();
    }

    @Test
    void theTestDriverCannotUploadAndSaysSo() throws Exception {
        hypervisor.createVolume(POOL, VolumeXml.seed(names.seedVolume(), Iso9660.SECTOR));
        try {
            assertThatThrownBy(() -> hypervisor.upload(POOL, names.seedVolume(), new byte[Iso9660.SECTOR]))
                    .isInstanceOfSatisfying(LibvirtException.class, e -> assertThat(Hypervisor.code(e)).isEqualTo(ErrorNumber.VIR_ERR_NO_SUPPORT));
        } finally {
            hypervisor.deleteVolume(POOL, names.seedVolume());
        }
    }

    @Test
    void anUnreachableHypervisorFailsToOpen() {
        assertThatThrownBy(() -> Hypervisor.open("qemu+unix:///system?socket=/nonexistent/libvirt-sock")).isInstanceOf(LibvirtException.class);
    }
}
