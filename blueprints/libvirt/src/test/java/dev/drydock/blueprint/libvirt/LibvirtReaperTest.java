package dev.drydock.blueprint.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.spi.IncompleteListingException;
import dev.drydock.api.spi.ObjectTags;
import dev.drydock.api.spi.OwnedObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.LibvirtException;

/**
 * What the reaper lists and destroys, on libvirt's test driver ({@code test:///default}): this
 * installation's domains and volumes of this blueprint only (another installation's, another
 * blueprint's and the driver's own domain are never listed), with ids that lead the destroy back to
 * the hypervisor; a domain's destroy takes its volumes; a hypervisor that does not answer is
 * reported with what the others hold.
 */
class LibvirtReaperTest {
    private static final String TEST = TestDriverNode.DEFAULT;
    private static final String POOL = "default-pool";
    private static final AtomicLong RESOURCES = new AtomicLong(500);
    private static final long BLUEPRINT = 31;
    private final Hypervisors hypervisors = new Hypervisors();
    private Hypervisor hypervisor;
    private LibvirtConfig config;

    @BeforeEach
    void open() {
        hypervisor = TestDriverNode.openDefault();
        config = TestConfigs.read(TestConfigs.KERNEL_USER_MODE, Map.of("hypervisors", "[\"" + TEST + "\"]", "storagePool", "\"" + POOL + "\""));
    }

    @AfterEach
    void close() {
        hypervisors.close();
        if (hypervisor != null) {
            hypervisor.close();
        }
    }

    @Test
    void listsOnlyThisInstallationsAndBlueprintsDomainsAndVolumesAndDestroysADomainWithItsVolumes() throws Exception {
        Names ours = vm(NamesTest.INSTALLATION, BLUEPRINT);
        Names otherBlueprint = vm(NamesTest.INSTALLATION, BLUEPRINT + 1);
        Names otherInstallation = vm("0f0e0d0c-0000-4000-8000-000000000001", BLUEPRINT);
        Names strayVolume = new Names(new ObjectTags(NamesTest.INSTALLATION, BLUEPRINT, RESOURCES.incrementAndGet()));
        hypervisor.createVolume(POOL, VolumeXml.seed(strayVolume.seedVolume(), Iso9660.SECTOR));
        LibvirtReaper reaper = new LibvirtReaper(config, hypervisors);
        try {
            List<OwnedObject> listed = reaper.list(NamesTest.INSTALLATION, BLUEPRINT);
            assertThat(listed).extracting(OwnedObject::id).containsExactlyInAnyOrder(
                    "domain/" + TEST + "/" + ours.domain(),
                    "volume/" + TEST + "/" + POOL + "/" + ours.seedVolume(),
                    "volume/" + TEST + "/" + POOL + "/" + ours.overlayVolume(),
                    "volume/" + TEST + "/" + POOL + "/" + strayVolume.seedVolume());
            assertThat(listed).allSatisfy(o -> assertThat(o.owner()).hasValueSatisfying(t -> assertThat(t.blueprintId()).isEqualTo(BLUEPRINT)));

            reaper.destroy(listed.stream().filter(o -> o.id().startsWith("domain/")).findFirst().orElseThrow());
            reaper.destroy(new OwnedObject("volume/" + TEST + "/" + POOL + "/" + strayVolume.seedVolume(), strayVolume.tags().asMap()));
            assertThat(reaper.list(NamesTest.INSTALLATION, BLUEPRINT)).as("the domain went with its volumes").isEmpty();
            assertThat(hypervisor.isRunning(ours.domain())).isEmpty();
            assertThat(hypervisor.isRunning(otherBlueprint.domain())).as("another blueprint's VM untouched").contains(true);
            assertThat(hypervisor.isRunning(otherInstallation.domain())).as("another installation's VM untouched").contains(true);
            assertThat(hypervisor.isRunning("test")).as("the driver's own domain untouched").contains(true);

            reaper.destroy(new OwnedObject("domain/" + TEST + "/" + ours.domain(), ours.tags().asMap())); // already gone: done
        } finally {
            for (Names n : List.of(ours, otherBlueprint, otherInstallation, strayVolume)) {
                remove(n);
            }
        }
    }

    @Test
    void aHypervisorThatDoesNotAnswerIsReportedWithWhatTheOthersHold() throws Exception {
        Names ours = vm(NamesTest.INSTALLATION, BLUEPRINT + 2);
        String down = "qemu+unix:///system?socket=/nonexistent/libvirt-sock";
        LibvirtConfig two = TestConfigs.read(TestConfigs.KERNEL_USER_MODE, Map.of("hypervisors", "[\"" + down + "\", \"" + TEST + "\"]",
                "storagePool", "\"" + POOL + "\""));
        try {
            assertThatThrownBy(() -> new LibvirtReaper(two, hypervisors).list(NamesTest.INSTALLATION, BLUEPRINT + 2))
                    .isInstanceOfSatisfying(IncompleteListingException.class, e -> {
                        assertThat(e.getMessage()).startsWith("hypervisor " + down + " did not answer: ").contains("/nonexistent/libvirt-sock");
                        assertThat(e.found()).extracting(OwnedObject::id).contains("domain/" + TEST + "/" + ours.domain());
                    });
        } finally {
            remove(ours);
        }
    }

    /** A running domain with its two volumes, as a build of resource N of {@code blueprint} leaves them. */
    private Names vm(String installation, long blueprint) throws LibvirtException {
        Names names = new Names(new ObjectTags(installation, blueprint, RESOURCES.incrementAndGet()));
        hypervisor.createVolume(POOL, VolumeXml.seed(names.seedVolume(), Iso9660.SECTOR));
        hypervisor.createVolume(POOL, "<volume><name>" + names.overlayVolume() + "</name><capacity unit='bytes'>1048576</capacity>"
                + "<target><format type='qcow2'/></target></volume>");
        hypervisor.define(DomainXml.domain(config, names, 2200));
        hypervisor.start(names.domain());
        return names;
    }

    private void remove(Names names) throws LibvirtException {
        hypervisor.destroyAndUndefine(names.domain());
        hypervisor.deleteVolume(POOL, names.seedVolume());
        hypervisor.deleteVolume(POOL, names.overlayVolume());
    }
}
