package dev.drydock.benchmarks;

import dev.drydock.testing.LibvirtEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Options of {@code drydock-bench libvirt}, which differ from the other modes' (it counts leases
 * rather than running for seconds, and needs a guest); the defaults keep a run under about three
 * minutes on 2 cores under TCG.
 *
 * @param cold       cold leases to time, each on a VM built for it
 * @param warm       warm leases to time, each on the one kept idle VM
 * @param kernel     the test guest's kernel, as libvirtd's QEMU reads it
 * @param initrd     the test guest's initrd
 * @param domainType {@code qemu} (TCG, the default: it runs anywhere) or {@code kvm}
 * @param dbUrl      a PostgreSQL server to use instead of an embedded one
 */
record LibvirtBenchOptions(int cold, int warm, Path kernel, Path initrd, String domainType, Optional<String> dbUrl) {
    static final String USAGE = String.join("\n", List.of(
            "usage: drydock-bench libvirt [--cold N] [--warm M] [--kernel FILE] [--initrd FILE] [--domain-type qemu|kvm] [--db JDBC_URL]",
            "  The libvirt-host blueprint against the libvirtd at " + LibvirtEnvironment.URI + " with the test guest",
            "  (.ci/libvirt/build-guest.sh), user-mode networking on random ports of 127.0.0.1, 256 MiB, 1 vCPU:",
            "  cold lease -> ACTIVE (VM defined, started, booted, SSH ready), split into the guest's boot",
            "  (domain started -> first SSH answer) and the engine's share (the rest); warm lease -> ACTIVE on a kept idle VM.",
            "  Run it in libvirtd's network namespace: sudo ip netns exec drydock-ci bin/drydock-bench libvirt",
            "  (after .ci/libvirt/start.sh). Everything it makes is removed at the end; it fails naming anything left.",
            "options:",
            "  --cold N          cold leases, one at a time (default 5)",
            "  --warm M          warm leases, one at a time (default 20)",
            "  --kernel FILE     the guest's kernel (default $" + LibvirtEnvironment.GUEST_DIR_VARIABLE + "/vmlinux, that directory",
            "                    defaulting to " + LibvirtEnvironment.DEFAULT_GUEST_DIR + ")",
            "  --initrd FILE     the guest's initrd (default $" + LibvirtEnvironment.GUEST_DIR_VARIABLE + "/initrd.gz)",
            "  --domain-type T   qemu (default: TCG, emulated CPU) or kvm",
            "  --db URL          a PostgreSQL server (jdbc:postgresql://host:port/db?user=u&password=p); default: an embedded one"));

    static LibvirtBenchOptions parse(List<String> args) {
        int cold = 5;
        int warm = 20;
        Path kernel = LibvirtEnvironment.kernel();
        Path initrd = LibvirtEnvironment.initrd();
        String domainType = "qemu";
        String db = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--cold" -> cold = count(BenchOptions.value(args, ++i, arg), arg);
                case "--warm" -> warm = count(BenchOptions.value(args, ++i, arg), arg);
                case "--kernel" -> kernel = file(BenchOptions.value(args, ++i, arg), arg);
                case "--initrd" -> initrd = file(BenchOptions.value(args, ++i, arg), arg);
                case "--domain-type" -> {
                    domainType = BenchOptions.value(args, ++i, arg);
                    if (!domainType.equals("qemu") && !domainType.equals("kvm")) {
                        throw new IllegalArgumentException("--domain-type is qemu or kvm, got '" + domainType + "'");
                    }
                }
                case "--db" -> db = BenchOptions.value(args, ++i, arg);
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        if (!Files.isRegularFile(kernel) || !Files.isRegularFile(initrd)) {
            throw new IllegalArgumentException("no test guest at " + kernel + " and " + initrd + ": run .ci/libvirt/build-guest.sh, set "
                    + LibvirtEnvironment.GUEST_DIR_VARIABLE + ", or give --kernel and --initrd");
        }
        return new LibvirtBenchOptions(cold, warm, kernel, initrd, domainType, Optional.ofNullable(db));
    }

    private static int count(String value, String option) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 1000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(option + " takes a whole number from 1 to 1000, got '" + value + "'");
    }

    private static Path file(String value, String option) {
        Path path = Path.of(value);
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException(option + " must be an absolute path (libvirtd's QEMU opens it), got '" + value + "'");
        }
        return path;
    }
}
