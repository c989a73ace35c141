package dev.drydock.testing;

import dev.drydock.embedded.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real libvirt that tests boot guests under, as {@code .ci/libvirt/} prepares it: a libvirtd at
 * {@code qemu:///system} in this JVM's own network namespace, and the test guest (Debian's kernel and
 * a busybox + dropbear initramfs that reads a NoCloud seed) built by {@code build-guest.sh}.
 * Register it on a class:
 * <pre>{@code @RegisterExtension static final LibvirtEnvironment libvirt = new LibvirtEnvironment();}</pre>
 * It checks the environment once per JVM: when it is missing each test is skipped saying what to
 * run, or fails when {@code CI=true}. The class gets a unique {@link #prefix()}, which
 * every domain, network, storage pool and volume its tests make must start with. After the class
 * everything with the prefix is removed, and the class fails naming what it had left behind.
 */
public final class LibvirtEnvironment implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    public static final String URI = "qemu:///system";
    /** Starts every prefix; {@code .ci/libvirt/stop.sh} removes what carries it. */
    public static final String PREFIX = "drydock-test-";
    public static final String GUEST_DIR_VARIABLE = "DRYDOCK_TEST_GUEST_DIR";
    public static final Path DEFAULT_GUEST_DIR = Path.of("/var/lib/drydock-test-guest");
    /** Serial console on ttyS0, no reboot loop on panic. */
    public static final String KERNEL_COMMAND_LINE = "console=ttyS0 panic=-1 quiet";
    private static final Path SCRATCH_ROOT = Path.of("/var/tmp/drydock-libvirt-test");
    /** libvirt's per-domain QEMU logs and the serial logs tests ask for. */
    static final Path QEMU_LOG_DIR = Path.of("/var/log/libvirt/qemu");

    private String prefix;
    private Path scratch;

    /** Empty when libvirt and the test guest are here, else what is missing and what to run. */
    public static Optional<String> unavailableReason() {
        return LibvirtAvailability.problem();
    }

    public static Path guestDir() {
        String dir = System.getenv(GUEST_DIR_VARIABLE);
        return dir == null || dir.isBlank() ? DEFAULT_GUEST_DIR : Path.of(dir);
    }

    /** The guest's uncompressed kernel, for {@code <os><kernel>} (direct boot, PVH entry). */
    public static Path kernel() {
        return guestDir().resolve("vmlinux");
    }

    public static Path initrd() {
        return guestDir().resolve("initrd.gz");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (unavailableReason().isPresent()) {
            return; // each test says so: a class that aborts here is not reported at all
        }
        String name = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        byte[] random = new byte[3];
        ThreadLocalRandom.current().nextBytes(random);
        prefix = PREFIX + name.substring(0, Math.min(name.length(), 24)) + "-" + HexFormat.of().formatHex(random) + "-";
        scratch = SCRATCH_ROOT.resolve(prefix.substring(0, prefix.length() - 1));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Optional<String> problem = unavailableReason();
        if (problem.isPresent()) {
            String message = "no libvirt test environment: " + problem.get();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message + "; CI=true, so this fails instead of skipping");
            }
            Assumptions.abort(message);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (prefix == null) {
            return; // skipped
        }
        List<String> leaked = LibvirtLeftovers.remove(prefix);
        PrivateFiles.deleteTree(scratch);
        List<String> left = LibvirtLeftovers.find(prefix);
        if (!left.isEmpty()) {
            Assertions.fail("could not remove from libvirt: " + left);
        }
        if (!leaked.isEmpty()) {
            Assertions.fail(context.getRequiredTestClass().getSimpleName() + " left in libvirt (now removed): " + leaked);
        }
    }

    /** This class's name prefix: {@code drydock-test-<class>-<random>-}. */
    public String prefix() {
        if (prefix == null) {
            throw new IllegalStateException("LibvirtEnvironment is used before its beforeAll: register it with @RegisterExtension on a static field");
        }
        return prefix;
    }

    /**
     * A directory of this class's that libvirt's QEMU (user libvirt-qemu) can read files in, for
     * seed images and the like (JUnit's temporary directories are private to root); deleted after the class.
     */
    public Path scratchDirectory() {
        prefix();
        try {
            Files.createDirectories(SCRATCH_ROOT);
            Files.createDirectories(scratch);
            Files.setPosixFilePermissions(SCRATCH_ROOT, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
            return scratch;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a domain's {@code <serial type='file'>} should write, so failures can show the guest's console. */
    public static Path serialLog(String domain) {
        return QEMU_LOG_DIR.resolve(domain + "-serial.log");
    }

    /** What a domain's serial console said, or why it cannot be read. */
    public static String serialOutput(String domain) {
        try {
            return Files.readString(serialLog(domain));
        } catch (IOException e) {
            return "(no serial log: " + e + ")";
        }
    }

    /** Everything libvirt lists with this class's prefix: {@code "domain NAME"}, {@code "volume POOL/NAME"}, ... */
    public List<String> leftovers() {
        return LibvirtLeftovers.find(prefix());
    }

    /**
     * Starts a transient directory storage pool {@code <prefix>pool} in {@link #scratchDirectory()},
     * where QEMU can read its volumes, and returns its name; {@link #cleanUp()} removes it.
     */
    public String storagePool() {
        String pool = prefix() + "pool";
        Path dir = scratchDirectory().resolve("pool");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Virsh.Result created = Virsh.run("pool-create-as", pool, "dir", "--target", dir.toString());
        if (!created.succeeded()) {
            throw new IllegalStateException("could not create storage pool " + pool + ": " + created.output());
        }
        return pool;
    }

    /** Destroys and undefines every domain, network and pool with this class's prefix, and deletes its volumes. */
    public List<String> cleanUp() {
        return LibvirtLeftovers.remove(prefix());
    }

    /**
     * Destroys and undefines every domain, network and pool named {@code prefix...}, and deletes such
     * volumes: for what the code under test names itself, such as a test installation's
     * {@code drydock-<installation id>-} domains, which a failed test may leave running.
     */
    public static List<String> removeNamed(String prefix) {
        if (!prefix.startsWith("drydock-") || prefix.length() < "drydock-".length() + 8) {
            throw new IllegalArgumentException("not a test's own name prefix: " + prefix);
        }
        return LibvirtLeftovers.remove(prefix);
    }
}
