package dev.drydock.blueprint.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed image is read by the tools cloud-init and Linux use: isoinfo lists and extracts both
 * trees, a loop mount shows the exact names (Joliet) and the mapped primary names, and blkid and
 * isoinfo describe it as they describe genisoimage's {@code -V cidata -r -J} image.
 */
class Iso9660Test {
    private static final byte[] META = "instance-id: \"i-1\"\nlocal-hostname: \"h\"\n".getBytes(StandardCharsets.UTF_8);
    /** More than one sector, so extents and padding are exercised. */
    private static final byte[] USER = ("#cloud-config\n" + "# padding line\n".repeat(300)).getBytes(StandardCharsets.UTF_8);
    private static final Map<String, byte[]> FILES = Map.of("meta-data", META, "user-data", USER);

    @Test
    void bothTreesHoldEveryFileAndTheLabel() {
        byte[] image = Iso9660.image("cidata", FILES);
        assertThat(image.length % Iso9660.SECTOR).isZero();
        assertThat(image.length).isEqualTo((25 + 1 + 3) * Iso9660.SECTOR);
        IsoImage iso = IsoImage.read(image);
        assertThat(iso.volumeId()).isEqualTo("cidata");
        assertThat(iso.jolietVolumeId()).isEqualTo("cidata");
        assertThat(iso.primary()).containsOnlyKeys("META-DATA.;1", "USER-DATA.;1");
        assertThat(iso.joliet()).containsOnlyKeys("meta-data", "user-data");
        assertThat(iso.primary().get("USER-DATA.;1")).isEqualTo(USER);
        assertThat(iso.joliet().get("meta-data")).isEqualTo(META);
    }

    @Test
    void namesAndLabelsOutsideTheRulesAreRefused() {
        assertThatThrownBy(() -> Iso9660.image("cidata", Map.of("a/b", META))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Iso9660.image("a label", FILES)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Iso9660.image("cidata", Map.of("", META))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isoinfoListsAndExtractsBothTrees(@TempDir Path dir) throws Exception {
        assumeThat(Tools.available("isoinfo")).as("isoinfo (genisoimage package)").isTrue();
        Path iso = write(dir, Iso9660.image("cidata", FILES));
        String info = Tools.run("isoinfo", "-d", "-i", iso.toString()).ok().output();
        assertThat(info).contains("Volume id: cidata").contains("Joliet with UCS level 3 found").contains("Logical block size is: 2048");
        assertThat(Tools.run("isoinfo", "-J", "-f", "-i", iso.toString()).ok().output().lines()).containsExactly("/meta-data", "/user-data");
        assertThat(Tools.run("isoinfo", "-f", "-i", iso.toString()).ok().output().lines()).containsExactly("/META-DATA.;1", "/USER-DATA.;1");
        assertThat(extract(iso, "-J", "/user-data")).isEqualTo(USER);
        assertThat(extract(iso, "-J", "/meta-data")).isEqualTo(META);
        assertThat(extract(iso, null, "/USER-DATA.;1")).isEqualTo(USER);
    }

    @Test
    void libarchiveAnd7zipExtractTheFilesByTheirNames(@TempDir Path dir) throws Exception {
        Path iso = write(dir, Iso9660.image("cidata", FILES));
        if (Tools.available("bsdtar")) {
            assertThat(Tools.run("bsdtar", "-tf", iso.toString()).ok().output().lines().filter(l -> !l.equals(".")))
                    .containsExactlyInAnyOrder("meta-data", "user-data");
            assertThat(stdout("bsdtar", "-xOf", iso.toString(), "user-data")).isEqualTo(USER);
            assertThat(stdout("bsdtar", "-xOf", iso.toString(), "meta-data")).isEqualTo(META);
        }
        if (Tools.available("7z")) {
            assertThat(stdout("7z", "e", "-so", iso.toString(), "user-data")).isEqualTo(USER);
            assertThat(stdout("7z", "e", "-so", iso.toString(), "meta-data")).isEqualTo(META);
        }
        assumeThat(Tools.available("bsdtar") || Tools.available("7z")).as("bsdtar (libarchive-tools) or 7z (p7zip-full)").isTrue();
    }

    @Test
    void describedLikeGenisoimagesImage(@TempDir Path dir) throws Exception {
        assumeThat(Tools.available("genisoimage") && Tools.available("isoinfo")).as("genisoimage and isoinfo").isTrue();
        Path ours = write(dir, Iso9660.image("cidata", FILES));
        Files.write(dir.resolve("meta-data"), META);
        Files.write(dir.resolve("user-data"), USER);
        Path theirs = dir.resolve("theirs.iso");
        Tools.run("genisoimage", "-quiet", "-o", theirs.toString(), "-V", "cidata", "-r", "-J",
                dir.resolve("meta-data").toString(), dir.resolve("user-data").toString()).ok();
        assertThat(Tools.run("isoinfo", "-J", "-f", "-i", ours.toString()).ok().output())
                .isEqualTo(Tools.run("isoinfo", "-J", "-f", "-i", theirs.toString()).ok().output());
        assertThat(volumeLine(ours)).isEqualTo(volumeLine(theirs));
        if (Tools.available("blkid")) {
            assertThat(Tools.run("blkid", "-p", "-o", "value", "-s", "LABEL", ours.toString()).ok().output())
                    .isEqualTo(Tools.run("blkid", "-p", "-o", "value", "-s", "LABEL", theirs.toString()).ok().output())
                    .isEqualTo("cidata\n");
            assertThat(Tools.run("blkid", "-p", "-o", "value", "-s", "TYPE", ours.toString()).ok().output()).isEqualTo("iso9660\n");
        }
    }

    private static Path write(Path dir, byte[] image) throws Exception {
        return Files.write(dir.resolve("seed.iso"), image);
    }

    private static byte[] extract(Path iso, String joliet, String path) throws Exception {
        return joliet == null ? stdout("isoinfo", "-i", iso.toString(), "-x", path) : stdout("isoinfo", joliet, "-i", iso.toString(), "-x", path);
    }

    /** What {@code argv} writes to its standard output, byte for byte; it must succeed. */
    private static byte[] stdout(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        return out;
    }

    private static String volumeLine(Path iso) {
        return Arrays.stream(Tools.run("isoinfo", "-d", "-i", iso.toString()).ok().output().split("\n"))
                .filter(l -> l.startsWith("Volume id:")).findFirst().orElseThrow();
    }
}
