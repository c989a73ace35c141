package dev.drydock.benchmarks;

import java.util.Arrays;
import java.util.List;

/** Entry point of {@code bin/drydock-bench MODE [--seconds N] [--db JDBC_URL] [--root DIR]}. */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            usage();
            System.exit(args.length == 0 ? 2 : 0);
        }
        if (args[0].equals("libvirt")) {
            libvirt(Arrays.asList(args).subList(1, args.length));
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(Arrays.asList(args).subList(1, args.length));
        } catch (IllegalArgumentException e) {
            System.err.println("drydock-bench: " + e.getMessage());
            usage();
            System.exit(2);
            return;
        }
        switch (args[0]) {
            case "queue" -> new QueueBenchmark(options).run();
            case "lease" -> new LeaseBenchmark(options).run();
            case "ssh" -> new SshBenchmark(options).run();
            case "ec2" -> new Ec2Benchmark(options).run();
            case "sandcastle" -> new SandcastleBenchmark(options).run();
            case "cli" -> new CliBenchmark(options).run();
            case "console" -> new ConsoleBenchmark(options).run();
            case "planner" -> new PlannerBenchmark(options).run();
            default -> {
                System.err.println("drydock-bench: unknown mode '" + args[0] + "'");
                usage();
                System.exit(2);
            }
        }
        System.exit(0);
    }

    /** The libvirt mode counts leases and needs a guest, so it has options of its own. */
    private static void libvirt(List<String> args) throws Exception {
        if (args.contains("--help") || args.contains("-h")) {
            System.out.println(LibvirtBenchOptions.USAGE);
            System.exit(0);
        }
        LibvirtBenchOptions options;
        try {
            options = LibvirtBenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("drydock-bench libvirt: " + e.getMessage());
            System.err.println(LibvirtBenchOptions.USAGE);
            System.exit(2);
            return;
        }
        // The same gate as the tests': libvirtd answers, and this JVM shares its network namespace, so
        // user-mode ports on 127.0.0.1 are reachable and no guest network exists in the machine's own.
        java.util.Optional<String> unavailable = dev.drydock.testing.LibvirtEnvironment.unavailableReason();
        if (unavailable.isPresent()) {
            System.err.println("drydock-bench libvirt: cannot run: " + unavailable.get());
            System.exit(2);
        }
        new LibvirtBenchmark(options).run();
        System.exit(0);
    }

    private static void usage() {
        System.err.println(String.join("\n", List.of(
                "usage: drydock-bench MODE [--seconds N] [--db JDBC_URL] [--root DIR]",
                "modes:",
                "  queue   task queue throughput and enqueue->start latency, against db-scheduler and pgbench",
                "  lease   acquire->active latency, leases/s with 16 clients, and latency with 100k resources / 1M old leases",
                "  ssh     exec round trip over one SSH connection against a fresh ssh process, SFTP upload against scp",
                "  ec2     the ec2-host blueprint against the fake EC2: cold and warm lease->active, warm leases/s at 16 clients,",
                "          and EC2 calls per cold lease for 200 leases at once",
                "  sandcastle  webroot leases of a generated repository's refs served by nginx, request -> 200: warm clone",
                "          with a new ref, cold clone, 8 at once, the same ref twice; against git worktree add",
                "  cli     drydock-control status, lease list, lease show, version and --help through bin/drydock-control,",
                "          20 runs each: p50, p95 (DRYDOCK_CDS=off: without the class-data archive)",
                "  libvirt the libvirt-host blueprint booting the test guest under libvirtd (TCG): cold lease->ACTIVE split into",
                "          guest boot and engine share, warm lease->ACTIVE; options of its own: drydock-bench libvirt --help",
                "  console each console page and API read, request -> last byte, 30 runs, at 100,000 resources, 1,000,000",
                "          archived leases and 1,000,000 log rows (--db: on that server, history removed after)",
                "  planner warm pools and gangs on local-host blueprints whose builds take 2 s: lease->ACTIVE cold and with",
                "          minReady 2, the planner's reaction (a warm slot taken -> its replacement's build), gangs of 4",
                "options:",
                "  --seconds N   length of each measured phase (default 10; lease: half of it for each history size;",
                "                ssh: each exec phase; --db is ignored; sandcastle, cli: ignored, they count runs)",
                "  --db URL      a PostgreSQL server to use (jdbc:postgresql://host:port/db?user=u&password=p);",
                "                default: an embedded PostgreSQL 15 started for the run (cli: the CLI's local one)",
                "  --root DIR    lease, sandcastle: where the local-host blueprint makes its directories (a new directory is",
                "                made in DIR and removed after); default: /dev/shm when it is a tmpfs, else the",
                "                JVM's temporary directory")));
    }
}
