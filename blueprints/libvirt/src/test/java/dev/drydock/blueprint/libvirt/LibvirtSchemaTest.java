package dev.drydock.blueprint.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.drydock.api.spi.ObjectTags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What we send libvirt passes libvirt's own RELAX NG schemas ({@code virt-xml-validate}, libvirt-clients + libxml2-utils). */
class LibvirtSchemaTest {
    private final Names names = new Names(new ObjectTags(NamesTest.INSTALLATION, 7, 42));
    @TempDir
    Path dir;

    @BeforeEach
    void needsTheValidator() {
        assumeThat(Tools.available("virt-xml-validate") && Tools.available("xmllint")).as("virt-xml-validate and xmllint").isTrue();
    }

    @Test
    void bothKindsOfDomainAreValid() throws Exception {
        valid(DomainXml.domain(TestConfigs.read(TestConfigs.BASE_IMAGE), names, 0), "domain");
        valid(DomainXml.domain(TestConfigs.read(TestConfigs.KERNEL_USER_MODE), names, 2200), "domain");
    }

    @Test
    void bothVolumesAreValid() throws Exception {
        valid(VolumeXml.overlay(names.overlayVolume(), 1L << 30, "/var/lib/libvirt/images/base.qcow2", "qcow2"), "storagevol");
        valid(VolumeXml.seed(names.seedVolume(), 27 * Iso9660.SECTOR), "storagevol");
    }

    private void valid(String xml, String schema) throws Exception {
        Path file = Files.writeString(Files.createTempFile(dir, schema, ".xml"), xml);
        Tools.Result result = Tools.run("virt-xml-validate", file.toString(), schema);
        assertThat(result.exit()).as(result.output() + "\n" + xml).isZero();
    }
}
