package dev.drydock.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.ResourceInfo;
import dev.drydock.api.ResourceStatus;
import dev.drydock.blueprint.libvirt.LibvirtHostBlueprint;
import dev.drydock.core.Drydock;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.LibvirtEnvironment;
import dev.drydock.testing.SshKeygen;
import dev.drydock.testing.Virsh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code drydock-bench libvirt}: the libvirt-host blueprint booting the test guest under the real
 * libvirtd at {@code qemu:///system}, in one JVM with an in-process taskmaster. Cold leases, one at
 * a time, each on a VM built for it and destroyed after (the next starts only once it is gone), split
 * into the guest's boot and the engine's share ({@link ColdLease}); then warm leases on one VM kept
 * idle (capacity 1: each is released and has ended before the next is asked for). Everything is made
 * under a fresh installation (embedded database) and a storage pool of the run's own, so the check at
 * the end, by libvirt's own listing, sees only what this run made.
 */
final class LibvirtBenchmark {
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final int MEMORY_MIB = 256;
    private final LibvirtBenchOptions options;

    LibvirtBenchmark(LibvirtBenchOptions options) {
        this.options = options;
    }

    void run() throws Exception {
        String loadAtStart = loadAverage();
        Path work = Files.createTempDirectory("drydock-bench-libvirt-");
        Path key = work.resolve("login-key");
        SshKeygen.generate(key, "drydock-bench-libvirt");
        int firstPort = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
        try (BenchDatabase db = BenchDatabase.open(new BenchOptions(10, options.dbUrl(), Optional.empty()));
             HikariDataSource pool = db.pool("bench-libvirt", 16);
             LibvirtScratch scratch = LibvirtScratch.create()) {
            printEnvironment(db, loadAtStart, firstPort);
            String names = null;
            LibvirtResults results;
            try (Drydock drydock = Drydock.builder(pool).register(new LibvirtHostBlueprint()).build();
                 Taskmaster taskmaster = drydock.taskmaster().threads(8).build().start()) {
                names = "drydock-" + drydock.installationId() + "-"; // the blueprint's names (domain, volumes) start so
                drydock.blueprints().create("cold", LibvirtHostBlueprint.TYPE, config(scratch.pool(), key, firstPort, 0), 1);
                drydock.blueprints().create("warm", LibvirtHostBlueprint.TYPE, config(scratch.pool(), key, firstPort + 5, 60), 1);
                try {
                    results = new LibvirtResults(cold(drydock), warm(drydock));
                } finally {
                    destroyAll(drydock);
                }
            } finally {
                checkNothingLeft(scratch, names);
            }
            results.print(loadAtStart, loadAverage());
        } finally {
            ScratchRoot.delete(work);
        }
    }

    private void printEnvironment(BenchDatabase db, String load, int firstPort) throws Exception {
        boolean tcg = options.domainType().equals("qemu");
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, load average " + load
                + " (1/5/15 min) at the start; Java " + Runtime.version());
        System.out.println("libvirt: " + LibvirtEnvironment.URI + ", " + versions());
        System.out.println("guest: domain type " + options.domainType() + (tcg ? " (TCG: QEMU emulates the CPU, no KVM)" : " (KVM)")
                + ", " + MEMORY_MIB + " MiB, 1 vCPU, direct kernel boot of " + options.kernel() + " + " + options.initrd()
                + "; user-mode networking, SSH forwarded from 127.0.0.1:" + firstPort + "-" + (firstPort + 9));
        System.out.println("database: " + db.describe());
        System.out.println();
    }

    /** The daemon's and hypervisor's versions as {@code virsh version --daemon} prints them. */
    private static String versions() {
        Virsh.Result version = Virsh.run("version", "--daemon");
        return version.output().lines().filter(l -> l.startsWith("Running")).map(String::strip).reduce((a, b) -> a + ", " + b)
                .orElse(version.output());
    }

    private String config(String pool, Path key, int firstPort, int keepIdleMinutes) {
        return """
                {"hypervisors": ["%s"], "domainType": "%s", "storagePool": "%s",
                 "kernel": "%s", "initrd": "%s", "kernelCommandLine": "%s", "memoryMiB": %d, "vcpus": 1,
                 "network": {"mode": "user", "sshPortRange": "%d-%d", "restrict": true}, "privateKey": "file:%s",
                 "capacity": 1, "keepIdleMinutes": %d}"""
                .formatted(LibvirtEnvironment.URI, options.domainType(), pool, options.kernel(), options.initrd(),
                        LibvirtEnvironment.KERNEL_COMMAND_LINE, MEMORY_MIB, firstPort, firstPort + 4, key, keepIdleMinutes);
    }

    private List<ColdLease> cold(Drydock drydock) {
        List<ColdLease> runs = new ArrayList<>();
        for (int i = 1; i <= options.cold(); i++) {
            Instant requested = Instant.now();
            long resourceId;
            try (Lease lease = drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("cold").acquireDeadline(WAIT).build())) {
                lease.await(WAIT);
                Instant active = Instant.now();
                resourceId = lease.info().resourceId().orElseThrow();
                ColdLease run = ColdLease.of(drydock, resourceId, requested, active);
                runs.add(run);
                System.out.printf(Locale.ROOT, "cold %d/%d: %.2f s = before the start %.2f + guest boot %.2f + after SSH %.2f"
                                + " (engine share %.2f s), load %s%n", i, options.cold(), seconds(run.total()), seconds(run.beforeStart()),
                        seconds(run.boot()), seconds(run.afterSsh()), seconds(run.engine()), loadAverage());
            }
            awaitDestroyed(drydock, List.of(resourceId)); // the next cold lease must not share the machine with this VM's teardown
        }
        return runs;
    }

    private long[] warm(Drydock drydock) {
        long start = System.nanoTime();
        timedLease(drydock); // builds the VM that is then kept idle
        System.out.printf(Locale.ROOT, "warm: the kept VM was built in %.2f s (not counted)%n", (System.nanoTime() - start) / 1e9);
        long[] micros = new long[options.warm()];
        for (int i = 0; i < micros.length; i++) {
            micros[i] = timedLease(drydock);
        }
        return micros;
    }

    /** Acquire to ACTIVE, in microseconds; the lease is released and has ended when this returns, so the VM is idle again. */
    private static long timedLease(Drydock drydock) {
        long start = System.nanoTime();
        Lease lease = drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("warm").acquireDeadline(WAIT).build());
        long micros;
        try (lease) {
            lease.await(WAIT);
            micros = (System.nanoTime() - start) / 1000;
        }
        lease.awaitEnded(WAIT);
        return micros;
    }

    /** Releases the kept VM (and anything a failure left) and waits until the engine has destroyed every resource. */
    private static void destroyAll(Drydock drydock) {
        List<Long> ids = new ArrayList<>();
        for (ResourceInfo r : drydock.resources()) {
            if (r.status() == ResourceStatus.ACTIVE || r.status() == ResourceStatus.PENDING) {
                drydock.releaseResource(r.id());
            }
            ids.add(r.id());
        }
        awaitDestroyed(drydock, ids);
    }

    private static void awaitDestroyed(Drydock drydock, List<Long> ids) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!ids.stream().allMatch(id -> drydock.resource(id).map(r -> r.status() == ResourceStatus.DESTROYED).orElse(true))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("resources " + ids + " were not destroyed within " + WAIT.toMinutes() + " min: "
                        + drydock.resources());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for resources " + ids + " to be destroyed", e);
            }
        }
    }

    /**
     * Asks libvirt, not the engine, what is left of the run; removes it so no VM keeps running on a
     * shared machine, and fails naming it: a benchmark that leaks VMs must not pass for a clean run.
     */
    private static void checkNothingLeft(LibvirtScratch scratch, String names) {
        List<String> left = scratch.leftovers(names == null ? "drydock-bench-none-" : names);
        if (left.isEmpty()) {
            System.out.println("clean-up: libvirt lists no domain of this run and no volume in " + scratch.pool());
            return;
        }
        if (names != null) {
            scratch.remove(names);
        }
        System.err.println("CLEAN-UP FAILED: the engine left in libvirt (now removed by virsh): " + left);
        throw new IllegalStateException("the run left in libvirt: " + left);
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (java.io.IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
