package dev.drydock.blueprint.libvirt;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.libvirt.LibvirtException;

/**
 * A "hypervisor" of libvirt's built-in test driver with a size of the test's choosing: a node file
 * that {@code test:///ABSOLUTE-PATH} opens in this process, with no daemon and no network. Each
 * connection to it starts from the file, so what one blueprint instance defines stays in that
 * instance's connection. Domains written into the file run from the start, as libvirt's test
 * driver starts every domain its node file lists.
 */
final class TestDriverNode {
    /** The test driver's shared default node: a running domain "test", pool "default-pool", network "default". */
    static final String DEFAULT = "test:///default";

    private TestDriverNode() {}

    /** Opens {@link #DEFAULT}, or skips the test saying what is missing (libvirt's shared library). */
    static Hypervisor openDefault() {
        try {
            return Hypervisor.open(DEFAULT);
        } catch (LibvirtException | UnsatisfiedLinkError | NoClassDefFoundError e) {
            assumeThat(false).as("libvirt's shared library (Debian package libvirt0): " + e).isTrue();
            throw new AssertionError("unreachable: the assumption above aborts the test", e);
        }
    }

    /**
     * Writes {@code file} as a node of {@code memoryMiB} and {@code cpus}, with the directory pool
     * {@code pool} (the blueprint makes its volumes there) and {@code domains} running on it.
     *
     * @return the test driver URI that opens it
     */
    static String write(Path file, long memoryMiB, int cpus, String pool, List<String> domains) throws IOException {
        StringBuilder xml = new StringBuilder("<node>\n");
        xml.append("  <cpu><mhz>2000</mhz><model>x86_64</model><nodes>1</nodes><sockets>1</sockets><cores>").append(cpus)
                .append("</cores><threads>1</threads><active>").append(cpus).append("</active></cpu>\n");
        xml.append("  <memory>").append(memoryMiB * 1024).append("</memory>\n"); // the test driver reads KiB
        xml.append("  <pool type='dir'><name>").append(pool).append("</name><target><path>/").append(pool).append("</path></target></pool>\n");
        domains.forEach(d -> xml.append(d).append('\n'));
        Files.writeString(file, xml.append("</node>\n"));
        return "test://" + file.toAbsolutePath();
    }
}
