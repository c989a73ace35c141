package dev.drydock.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.blueprint.ec2.Ec2HostBlueprint;
import dev.drydock.core.Drydock;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.SshKeygen;
import dev.drydock.testing.ec2.Ec2Call;
import dev.drydock.testing.ec2.FakeEc2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * {@code drydock-bench ec2}: the ec2-host blueprint against the fake EC2 with instant boots (a real
 * sshd per instance on 127.0.0.x), in one JVM with an in-process taskmaster. Cold leases (each on a
 * new instance, one at a time), warm leases (on a kept instance, one at a time and then 16 clients),
 * and the EC2 API calls per cold lease when 200 are asked for at once, against a listing interval of
 * 1 s: the reads must not grow with the number of instances booting.
 */
final class Ec2Benchmark {
    private static final String IMAGE = "ami-0123456789abcdef0";
    private static final String SUBNET = "subnet-0aaaaaaaaaaaaaaaa";
    private static final int COLD = 20;
    private static final int BURST = 200;
    private static final int CLIENTS = 16;
    private static final Duration WAIT = Duration.ofMinutes(5);
    private final BenchOptions options;

    Ec2Benchmark(BenchOptions options) {
        this.options = options;
    }

    void run() throws Exception {
        Path work = Files.createTempDirectory("drydock-bench-ec2-");
        Path key = work.resolve("ec2-key");
        SshKeygen.generate(key, "drydock-bench-ec2");
        try (BenchDatabase db = BenchDatabase.open(options); HikariDataSource pool = db.pool("bench-ec2", 40);
             FakeEc2 fake = FakeEc2.builder().bootDelay(Duration.ZERO).consoleDelay(Duration.ZERO).shutdownDelay(Duration.ZERO)
                     .terminatedListedFor(Duration.ofSeconds(30)).build()) {
            fake.start();
            fake.image(IMAGE).subnet(SUBNET, "us-east-1a").keyPair("drydock", Files.readString(SshKeygen.publicKeyOf(key)));
            Files.writeString(work.resolve("access-key"), "AKIABENCHBENCHBENCH0");
            Files.writeString(work.resolve("secret-key"), "bench-secret-key");
            try (Drydock drydock = Drydock.builder(pool).register(new Ec2HostBlueprint()).build();
                 Taskmaster taskmaster = drydock.taskmaster().threads(32).build().start()) {
                System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version());
                System.out.println("fake EC2 at " + fake.endpoint() + ", instant boots, one sshd per instance; listing every 1 s (listSeconds)");
                String base = config(fake, work, key);
                drydock.blueprints().create("cold", Ec2HostBlueprint.TYPE, base.replace("}", ", \"capacity\": 1, \"keepIdleMinutes\": 0}"), BURST);
                drydock.blueprints().create("warm", Ec2HostBlueprint.TYPE, base.replace("}", ", \"capacity\": 64, \"keepIdleMinutes\": 60}"), 1);

                Percentiles cold = sequential(drydock, "cold", COLD);
                System.out.printf(Locale.ROOT, "cold leases (a new instance each, one at a time): p50 %.1f ms, p99 %.1f ms (%d leases)%n",
                        cold.p50Ms(), cold.p99Ms(), cold.count());
                sequential(drydock, "warm", 1); // boots the kept instance
                Percentiles warm = sequential(drydock, "warm", 200);
                System.out.printf(Locale.ROOT, "warm leases (on a kept instance, one at a time): p50 %.2f ms, p99 %.2f ms (%d leases)%n",
                        warm.p50Ms(), warm.p99Ms(), warm.count());
                double perSecond = concurrent(drydock, "warm", options.seconds());
                System.out.printf(Locale.ROOT, "warm leases, %d clients for %d s (acquire, await, release): %.0f leases/s%n", CLIENTS, options.seconds(), perSecond);

                Burst burst = burst(drydock, fake);
                System.out.printf(Locale.ROOT, "%d cold leases at once: all active in %.1f s; EC2 calls %d (%s) = %.2f per lease;"
                                + " DescribeInstances %d over %.1f s = %.2f per second (listing interval 1 s)%n",
                        BURST, burst.seconds(), burst.calls(), burst.byAction(), burst.calls() / (double) BURST, burst.describes(),
                        burst.seconds(), burst.describes() / burst.seconds());
                System.out.printf(Locale.ROOT, "%n{\"cold_p50_ms\": %.1f, \"warm_p50_ms\": %.2f, \"warm_leases_per_s\": %.0f, \"api_calls_per_cold_lease\": %.2f}%n",
                        cold.p50Ms(), warm.p50Ms(), perSecond, burst.calls() / (double) BURST);
            }
        } finally {
            ScratchRoot.delete(work);
        }
    }

    private static String config(FakeEc2 fake, Path work, Path key) {
        return "{\"region\": \"us-east-1\", \"endpoint\": \"" + fake.endpoint() + "\", \"accessKeyId\": \"file:" + work.resolve("access-key")
                + "\", \"secretAccessKey\": \"file:" + work.resolve("secret-key") + "\", \"imageId\": \"" + IMAGE
                + "\", \"instanceTypes\": [\"t3.micro\"], \"subnets\": [\"" + SUBNET + "\"], \"keyName\": \"drydock\", \"privateKey\": \"file:"
                + key + "\", \"sshUser\": \"" + fake.loginUser() + "\", \"sshPort\": " + fake.sshPort()
                + ", \"readinessCommand\": [], \"listSeconds\": 1, \"callsPerSecond\": 1000, \"root\": \"" + work.resolve("instances") + "\"}";
    }

    private static Percentiles sequential(Drydock drydock, String blueprint, int count) {
        long[] micros = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            try (Lease lease = drydock.allocator().acquire(LeaseRequest.builder("host").blueprint(blueprint).acquireDeadline(WAIT).build())) {
                lease.await(WAIT);
                micros[i] = (System.nanoTime() - start) / 1000;
            }
        }
        return Percentiles.of(micros, count);
    }

    private static double concurrent(Drydock drydock, String blueprint, int seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                all.add(clients.submit(() -> {
                    while (System.nanoTime() < end) {
                        try (Lease lease = drydock.allocator().acquire(LeaseRequest.builder("host").blueprint(blueprint).build())) {
                            lease.await(WAIT);
                        }
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
        return done.get() / (double) seconds;
    }

    private record Burst(double seconds, long calls, long describes, String byAction) {}

    private static Burst burst(Drydock drydock, FakeEc2 fake) throws Exception {
        Instant from = Instant.now();
        long start = System.nanoTime();
        List<Lease> leases = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            leases.add(drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("cold").acquireDeadline(WAIT).build()));
        }
        for (Lease lease : leases) {
            lease.await(WAIT);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Ec2Call> calls = fake.calls().stream().filter(c -> !c.at().isBefore(from)).toList();
        Map<String, Long> failedBuilds = drydock.logs(Optional.empty(), Optional.empty(), Optional.of("cold"), 0, 100_000).stream()
                .filter(l -> !l.at().isBefore(from) && l.message().contains("-> BROKEN: "))
                .collect(Collectors.groupingBy(l -> l.message().substring(l.message().indexOf("-> BROKEN: ") + 11).replaceAll("[0-9]+", "N"),
                        java.util.TreeMap::new, Collectors.counting()));
        if (!failedBuilds.isEmpty()) {
            System.out.println("builds that broke during the burst (their leases were served by new builds): " + failedBuilds);
        }
        leases.forEach(Lease::release);
        Map<String, Long> byAction = calls.stream().collect(Collectors.groupingBy(Ec2Call::action, java.util.TreeMap::new, Collectors.counting()));
        return new Burst(seconds, calls.size(), byAction.getOrDefault("DescribeInstances", 0L),
                byAction.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
    }
}
