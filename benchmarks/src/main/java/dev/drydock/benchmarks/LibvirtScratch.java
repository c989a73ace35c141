package dev.drydock.benchmarks;

import dev.drydock.testing.Virsh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the libvirt benchmark makes in libvirt besides its VMs: a transient directory storage pool of
 * its own, so the blueprint's overlays and seeds land where nothing else lives and the clean-up check
 * can demand an empty pool. The pool's directory is under /var/tmp, world-readable, because
 * libvirtd's QEMU runs as libvirt-qemu and opens the seeds there.
 */
final class LibvirtScratch implements AutoCloseable {
    private static final Path ROOT = Path.of("/var/tmp/drydock-bench-libvirt");
    private final String pool;
    private final Path directory;

    private LibvirtScratch(String pool, Path directory) {
        this.pool = pool;
        this.directory = directory;
    }

    static LibvirtScratch create() throws IOException {
        byte[] random = new byte[3];
        ThreadLocalRandom.current().nextBytes(random);
        String pool = "drydock-bench-" + HexFormat.of().formatHex(random) + "-pool";
        Path directory = ROOT.resolve(pool);
        Files.createDirectories(directory);
        for (Path dir : List.of(ROOT, directory)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        check(Virsh.run("pool-create-as", pool, "dir", "--target", directory.toString()), "create storage pool " + pool);
        return new LibvirtScratch(pool, directory);
    }

    String pool() {
        return pool;
    }

    /**
     * What libvirt itself lists of the run's: domains whose names start with {@code domainPrefix}
     * (the installation's, so another developer's VMs are never counted) and any volume in the pool.
     */
    List<String> leftovers(String domainPrefix) {
        List<String> left = new ArrayList<>();
        Virsh.names(domainPrefix, "list", "--all", "--name").forEach(d -> left.add("domain " + d));
        Virsh.names("", "vol-list", pool).forEach(v -> left.add("volume " + pool + "/" + v));
        return left;
    }

    /** Removes what {@link #leftovers} found, so a failed run does not leave VMs running on a shared machine. */
    void remove(String domainPrefix) {
        for (String domain : Virsh.names(domainPrefix, "list", "--all", "--name")) {
            Virsh.run("destroy", domain);
            Virsh.run("undefine", domain, "--nvram");
        }
        deleteVolumes();
    }

    private void deleteVolumes() {
        Virsh.names("", "vol-list", pool).forEach(v -> Virsh.run("vol-delete", v, "--pool", pool));
    }

    /** Deletes the pool's volumes, the pool (transient: destroying it is the end of it) and its directory. */
    @Override
    public void close() throws IOException {
        deleteVolumes();
        check(Virsh.run("pool-destroy", pool), "destroy storage pool " + pool);
        ScratchRoot.delete(directory);
    }

    private static void check(Virsh.Result result, String what) {
        if (!result.succeeded()) {
            throw new IllegalStateException("could not " + what + ": virsh said " + result.output());
        }
    }
}
