package dev.drydock.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.api.Allocator;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.core.Drydock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code drydock-bench lease}: the whole lease path, from {@code acquire()} in the holder's process
 * to the lease being ACTIVE, allocated by one taskmaster (16 threads) in a separate JVM on the same
 * database, on a local-host blueprint (capacity 64, limit 8) whose root is a new directory under
 * {@code --root}, by default under /dev/shm when that is a tmpfs (see {@link ScratchRoot}).
 *
 * <p>Warm-up first: one lease at a time for 1 s (the first builds a resource, which with capacity 64
 * then serves all 16 clients; starting with 16 clients instead builds up to 8 resources at once,
 * which is slower to settle and has hit deadlocks in the engine's wake-up enqueues), 16 clients in
 * 2-second slices until the JIT compiler threads of both JVMs have used under 5 % of a core for
 * three slices in a row (at least 8, at most 90 slices: on two shared cores the compilers of two
 * fresh JVMs took a quarter to half of the machine for 30 s and more, and a window measured during
 * that measured them), one at a time for 1 s; then it waits until every lease is cleaned up and the
 * resources are ACTIVE and idle, and runs ANALYZE (see {@link #analyze}). Then, with N = --seconds:
 *
 * <ol>
 *   <li>single leases one at a time for N s: acquire, await, release; acquire→active latency (from
 *       the acquire() call to await() returning; the release is not timed);</li>
 *   <li>16 client threads of one process, sharing its {@code Drydock} (whose requests and releases
 *       that come at once share statements: architecture decision 15), doing the same back to
 *       back: cycles whose release returned inside an
 *       N-second window after 1 s of ramp, per second. Before the window, 16-client slices run
 *       again until the JIT compilers are quiet as in the warm-up: one lease at a time deoptimizes
 *       code compiled for 16 clients, and the compilers then recompiled it inside the window;</li>
 *   <li>a yardstick of the machine's speed at that moment: Debian's pgbench (simple-update, 8
 *       clients, 5 s) on the same server, since this machine's speed has varied twofold in a day;</li>
 *   <li>the single-lease latency for N/2 s with 100 rows in dd_resource, then again after bulk SQL
 *       adds resources up to 100,000 and 1,000,000 DESTROYED leases (see {@link LeaseHistory}).</li>
 * </ol>
 *
 * <p>It also prints the CPU time the client JVM, the taskmaster JVM and PostgreSQL (when local)
 * used per lease in phases 1 and 2, and the machine's busy share, since on a small machine the
 * three share the cores. For experiments: -Dbench.clients (holders in phase 2, default 16),
 * -Dbench.capacity, -Dbench.limit, -Dbench.warmSlices (at
 * most, default 90), -Dbench.warmSlicesMin (at least, default 8),
 * -Dbench.explain=true (EXPLAIN ANALYZE of the engine's lookups at both history sizes),
 * -Dbench.statements=true (pg_stat_statements' account of phases 1 and 2), and
 * -Dbench.only=throughput (warm-up, phase 2 and the yardstick only: for comparing changes, a run
 * takes a minute instead of three), passed to {@code java -jar benchmarks/target/drydock-bench.jar lease ...}.
 */
final class LeaseBenchmark {
    /** Holders in phase 2; -Dbench.clients for experiments (the target is stated for 16). */
    private static final int CLIENT_THREADS = Integer.getInteger("bench.clients", 16);
    private static final int TASKMASTER_THREADS = 16;
    /** Leases per resource and resources of the blueprint; -Dbench.capacity / -Dbench.limit for experiments. */
    private static final int CAPACITY = Integer.getInteger("bench.capacity", 64);
    private static final int LIMIT = Integer.getInteger("bench.limit", 8);
    private static final int SMALL_RESOURCES = 100;
    private static final int LARGE_RESOURCES = 100_000;
    private static final int DESTROYED_LEASES = 1_000_000;
    private static final Duration AWAIT = Duration.ofSeconds(30);
    /**
     * 16-client warm-up: slices of this many seconds, at least / at most this many
     * (-Dbench.warmSlicesMin / -Dbench.warmSlices), ending after this many slices in a row in which
     * the JIT compilers of both JVMs used under this share of one core.
     */
    private static final int WARM_SLICE_SECONDS = 2;
    private static final int WARM_SLICES_MIN = Integer.getInteger("bench.warmSlicesMin", 8);
    private static final int WARM_SLICES_MAX = Math.max(WARM_SLICES_MIN, Integer.getInteger("bench.warmSlices", 90));
    private static final int WARM_QUIET_SLICES = 3;
    private static final double WARM_QUIET_JIT_CORES = 0.05;
    /** Seconds of pgbench run beside the leases as a yardstick of the machine's speed at the time. */
    private static final int YARDSTICK_SECONDS = 5;
    /** -Dbench.explain=true prints EXPLAIN ANALYZE of the engine's lookups at both history sizes. */
    private static final boolean EXPLAIN = Boolean.getBoolean("bench.explain");
    /** -Dbench.statements=true prints pg_stat_statements' account of phases 1 and 2, if the database has it. */
    private static final boolean STATEMENTS = Boolean.getBoolean("bench.statements");
    /** -Dbench.only=throughput runs the warm-up, the 16-client phase and the yardstick, nothing else. */
    private static final boolean THROUGHPUT_ONLY = "throughput".equals(System.getProperty("bench.only", ""));

    private static final double TARGET_P50_MS = 10;
    private static final double TARGET_P99_MS = 50;
    private static final double TARGET_LEASES_PER_S = 1_000;
    private static final double TARGET_GROWTH = 1.5;

    private final BenchOptions options;

    LeaseBenchmark(BenchOptions options) {
        this.options = options;
    }

    void run() throws Exception {
        int seconds = options.seconds();
        int historySeconds = Math.max(2, (seconds + 1) / 2);
        Path root = ScratchRoot.create(options.root(), "drydock-bench-lease-");
        try (BenchDatabase db = BenchDatabase.open(options); HikariDataSource pool = db.pool("bench-lease", CLIENT_THREADS + 8)) {
            System.out.println("server: " + db.describe());
            System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version());
            System.out.println("lease directories under: " + root + " (" + Files.getFileStore(root).type() + ")");
            System.out.printf(Locale.ROOT, "phases: single %d s, %d clients %d s, single %d s at each history size; "
                            + "1 taskmaster (%d threads) in its own JVM; local-host blueprint, capacity %d, limit %d%n%n",
                    seconds, CLIENT_THREADS, seconds, historySeconds, TASKMASTER_THREADS, CAPACITY, LIMIT);

            try (Drydock drydock = Drydock.builder(pool).register(new LocalHostBlueprint()).build();
                 TaskmasterProcess taskmaster = TaskmasterProcess.start(db)) {
                String blueprint = "bench-lease-" + Long.toString(System.currentTimeMillis(), 36);
                drydock.blueprints().create(blueprint, LocalHostBlueprint.TYPE,
                        "{\"root\": \"" + jsonEscape(root.toString()) + "\", \"capacity\": " + CAPACITY + "}", LIMIT);
                long blueprintId = drydock.blueprints().find(blueprint).orElseThrow().id();
                Allocator allocator = drydock.allocator();
                LeaseRequest request = LeaseRequest.builder("host").blueprint(blueprint).build();
                LeaseHistory history = new LeaseHistory(pool);

                try {
                    // warm-up: a resource built and ACTIVE (the first lease builds it; with capacity 64 it
                    // then takes every lease of 16 clients), both JVMs compiled, the server's caches warm.
                    // A long-running taskmaster is measured warm, and on two shared cores the JIT of two
                    // fresh JVMs takes a quarter to half of the machine for 30 s or more: a window measured
                    // before it is done measures the compilers.
                    Cpu.Probe cpu = new Cpu.Probe(pool, taskmaster.process);
                    long warmed = sequential(allocator, request, Duration.ofSeconds(1)).count();
                    Settled warm = settle(allocator, request, cpu, WARM_SLICES_MIN);
                    warmed += warm.leases();
                    warmed += sequential(allocator, request, Duration.ofSeconds(1)).count();
                    quiesce(pool, blueprintId);
                    analyze(pool);
                    System.out.printf(Locale.ROOT, "warm-up: %,d leases (one at a time 1 s; %d clients in %d-s slices until the JIT compilers "
                                    + "of both JVMs had used under %.0f %% of a core for %d slices in a row%s: %s leases/s; one at a time 1 s); "
                                    + "resources: %s%n",
                            warmed, CLIENT_THREADS, WARM_SLICE_SECONDS, 100 * WARM_QUIET_JIT_CORES, WARM_QUIET_SLICES,
                            warm.quiet() ? "" : " (NOT REACHED in " + WARM_SLICES_MAX + " slices)",
                            warm.rates(), resources(pool, blueprintId));

                    Percentiles single = null;
                    StatementStats statements = new StatementStats(pool, STATEMENTS);
                    if (!THROUGHPUT_ONLY) {
                        statements.reset();
                        Cpu before = cpu.now();
                        Samples singleSamples = sequential(allocator, request, Duration.ofSeconds(seconds));
                        Cpu singleCpu = cpu.now().minus(before);
                        single = singleSamples.percentiles();
                        System.out.printf(Locale.ROOT, "single leases, acquire->active: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)%n",
                                single.p50Ms(), single.p99Ms(), singleSamples.maxMs(), single.count());
                        System.out.println("  CPU: " + singleCpu.describe(singleSamples.count()));
                        statements.print(singleSamples.count());
                    }

                    // Phase 1 and the warm-up's last second ran one lease at a time, which deoptimizes code
                    // compiled for 16 clients: without settling again, the JIT compilers recompiled it during
                    // the window, using 0.1 to 2.3 core-seconds of its 22.
                    Settled resettled = settle(allocator, request, cpu, 1);
                    System.out.printf(Locale.ROOT, "settled again at %d clients: %s leases/s%s%n", CLIENT_THREADS, resettled.rates(),
                            resettled.quiet() ? "" : " (JIT NOT QUIET in " + WARM_SLICES_MAX + " slices)");
                    statements.reset();
                    Cpu before = cpu.now();
                    Load load = concurrent(allocator, request, CLIENT_THREADS, 1, seconds);
                    Cpu loadCpu = cpu.now().minus(before);
                    double leasesPerSecond = load.completed() / (double) seconds;
                    Percentiles underLoad = load.latencies().percentiles();
                    System.out.printf(Locale.ROOT, "%d clients: %,.0f leases/s (%,d acquired, awaited and released in %d s); "
                                    + "acquire->active under load p50 %.2f ms, p99 %.2f ms%n",
                            CLIENT_THREADS, leasesPerSecond, load.completed(), seconds, underLoad.p50Ms(), underLoad.p99Ms());
                    System.out.println("  CPU (1 s ramp + window, per lease counted in the window): " + loadCpu.describe(load.completed()));
                    statements.print(load.completed());
                    quiesce(pool, blueprintId);
                    // This machine's speed has varied by 2x within a day; a yardstick measured beside the
                    // leases lets runs made at different times be compared.
                    double pgbenchTps = PgbenchRunner.simpleUpdateTps(db, YARDSTICK_SECONDS);
                    System.out.printf(Locale.ROOT, "yardstick, same server, same run: pgbench simple-update (8 clients, %d s) %,.0f tps; "
                                    + "%.0f leases/s per 1,000 pgbench tps%n", YARDSTICK_SECONDS, pgbenchTps, leasesPerSecond * 1000 / pgbenchTps);
                    if (THROUGHPUT_ONLY) {
                        System.out.println(taskmaster.stop());
                        System.out.printf(Locale.ROOT, "%n{\"leases_per_s\": %.1f, \"pgbench_tps\": %.1f}%n", leasesPerSecond, pgbenchTps);
                        return;
                    }

                    history.grow(SMALL_RESOURCES, 0);
                    LeaseHistory.Counts small = history.counts();
                    explain(pool, "at " + small.resources() + " resources");
                    sequential(allocator, request, Duration.ofMillis(500)); // settle after the VACUUM
                    Samples smallSamples = sequential(allocator, request, Duration.ofSeconds(historySeconds));
                    Percentiles atSmall = smallSamples.percentiles();
                    System.out.printf(Locale.ROOT, "single leases at %,d resource rows, %,d lease rows: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)%n",
                            small.resources(), small.leases(), atSmall.p50Ms(), atSmall.p99Ms(), smallSamples.maxMs(), atSmall.count());
                    if (small.resources() != SMALL_RESOURCES) {
                        System.out.printf("  (the database held %,d resource rows already: not a 100-row baseline)%n", small.resources());
                    }

                    long loadStart = System.nanoTime();
                    history.grow(LARGE_RESOURCES, DESTROYED_LEASES);
                    LeaseHistory.Counts large = history.counts();
                    System.out.printf(Locale.ROOT, "history added in %.1f s (INSERT ... SELECT generate_series, then VACUUM ANALYZE)%n",
                            (System.nanoTime() - loadStart) / 1e9);
                    explain(pool, "at " + large.resources() + " resources");
                    sequential(allocator, request, Duration.ofMillis(500));
                    Samples largeSamples = sequential(allocator, request, Duration.ofSeconds(historySeconds));
                    Percentiles atLarge = largeSamples.percentiles();
                    System.out.printf(Locale.ROOT, "single leases at %,d resource rows, %,d lease rows: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)%n",
                            large.resources(), large.leases(), atLarge.p50Ms(), atLarge.p99Ms(), largeSamples.maxMs(), atLarge.count());

                    System.out.println(taskmaster.stop());
                    System.out.println();
                    report(single, leasesPerSecond, pgbenchTps, atSmall, atLarge, small, large);
                } finally {
                    taskmaster.close();
                    if (options.dbUrl().isPresent()) {
                        history.remove(); // a server given with --db outlives the run: take the fake history away again
                    }
                }
            }
        } finally {
            ScratchRoot.delete(root);
        }
    }

    /** Acquire, await, release, one lease at a time, for {@code window}; acquire→active of each. */
    /**
     * 16-client slices (at least {@code minSlices}, at most {@link #WARM_SLICES_MAX}) until the JIT
     * compilers of both JVMs used under {@link #WARM_QUIET_JIT_CORES} of a core for
     * {@link #WARM_QUIET_SLICES} slices in a row.
     */
    private static Settled settle(Allocator allocator, LeaseRequest request, Cpu.Probe cpu, int minSlices) throws InterruptedException {
        List<String> rates = new ArrayList<>();
        long leases = 0;
        int quiet = 0;
        int slice = 0;
        Cpu sliceStart = cpu.now();
        while (slice < WARM_SLICES_MAX && (slice < minSlices || quiet < WARM_QUIET_SLICES)) {
            slice++;
            long done = concurrent(allocator, request, CLIENT_THREADS, 0, WARM_SLICE_SECONDS).completed();
            Cpu sliceEnd = cpu.now();
            double jitCores = sliceEnd.minus(sliceStart).jit() / WARM_SLICE_SECONDS;
            sliceStart = sliceEnd;
            leases += done;
            quiet = jitCores < WARM_QUIET_JIT_CORES ? quiet + 1 : 0;
            rates.add(String.format(Locale.ROOT, "%.0f (JIT %.0f %%)", done / (double) WARM_SLICE_SECONDS, 100 * jitCores));
        }
        return new Settled(leases, quiet >= WARM_QUIET_SLICES, String.join(", ", rates));
    }

    /** What {@link #settle} did: leases completed, whether the compilers went quiet, the rate and JIT share of each slice. */
    private record Settled(long leases, boolean quiet, String rates) {}

    private static Samples sequential(Allocator allocator, LeaseRequest request, Duration window) {
        Samples samples = new Samples();
        long end = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < end) {
            samples.add(oneLease(allocator, request));
        }
        return samples;
    }

    /** Acquire→active in microseconds; the lease is released before returning. */
    private static long oneLease(Allocator allocator, LeaseRequest request) {
        long start = System.nanoTime();
        Lease lease = allocator.acquire(request);
        try {
            lease.await(AWAIT);
            return (System.nanoTime() - start) / 1_000;
        } finally {
            lease.release();
        }
    }

    private record Load(long completed, Samples latencies) {}

    /**
     * {@code threads} clients, each acquiring, awaiting and releasing back to back, for
     * {@code rampSeconds + seconds}; counts the cycles whose release returned within the last
     * {@code seconds}, and the acquire→active latency of those that started in it.
     */
    private static Load concurrent(Allocator allocator, LeaseRequest request, int threads, int rampSeconds, int seconds)
            throws InterruptedException {
        long windowStart = System.nanoTime() + rampSeconds * 1_000_000_000L;
        long windowEnd = windowStart + seconds * 1_000_000_000L;
        AtomicLong completed = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Samples> perThread = new ArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Samples mine = new Samples();
            perThread.add(mine);
            clients.add(Thread.ofPlatform().name("bench-client-" + i).start(() -> {
                try {
                    while (failure.get() == null) {
                        long start = System.nanoTime();
                        if (start >= windowEnd) {
                            return;
                        }
                        long micros = oneLease(allocator, request);
                        long done = System.nanoTime();
                        if (done >= windowStart && done < windowEnd) {
                            completed.incrementAndGet();
                        }
                        if (start >= windowStart && done < windowEnd) {
                            mine.add(micros);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : clients) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a client failed: " + failure.get(), failure.get());
        }
        Samples all = new Samples();
        perThread.forEach(all::addAll);
        return new Load(completed.get(), all);
    }

    /**
     * Brings the planner's statistics up to date, as autovacuum keeps them on a running system. A
     * database created for the run grows from empty during the warm-up, and autovacuum looks at it
     * at most once a minute; until it does, plans cached while the tables were nearly empty (a
     * sequential scan is the cheapest way to read ten rows) are kept and measured, which is the
     * first minute of a new installation and not the steady state this benchmark is about.
     */
    private static void analyze(HikariDataSource pool) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE");
        }
    }

    /** Waits until every lease of ours is cleaned up and our resources are ACTIVE and idle. */
    private static void quiesce(HikariDataSource pool, long blueprintId) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement("""
                    SELECT (SELECT count(*) FROM dd_lease WHERE status <> 'DESTROYED'
                              AND allowed_blueprints = ARRAY[(SELECT name FROM dd_blueprint WHERE id = ?)]),
                           (SELECT count(*) FROM dd_resource WHERE blueprint_id = ? AND status NOT IN ('ACTIVE', 'DESTROYED')),
                           (SELECT coalesce(sum(active_leases), 0) FROM dd_resource WHERE blueprint_id = ?)""")) {
                s.setLong(1, blueprintId);
                s.setLong(2, blueprintId);
                s.setLong(3, blueprintId);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0 && rs.getLong(2) == 0 && rs.getLong(3) == 0) {
                        return;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("leases still not cleaned up after 60 s: " + rs.getLong(1) + " live leases, "
                                + rs.getLong(2) + " resources not ACTIVE, " + rs.getLong(3) + " lease slots taken");
                    }
                }
            }
            Thread.sleep(50);
        }
    }

    private static String resources(HikariDataSource pool, long blueprintId) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT status, count(*), sum(active_leases) FROM dd_resource WHERE blueprint_id = ? GROUP BY status ORDER BY status")) {
            s.setLong(1, blueprintId);
            List<String> parts = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    parts.add(rs.getLong(2) + " " + rs.getString(1) + " (" + rs.getLong(3) + " leases on them)");
                }
            }
            return String.join(", ", parts);
        }
    }

    /**
     * EXPLAIN ANALYZE of the engine's lookups on the lease path and the janitor's scans (text copied
     * from drydock-core's stores and Janitor when this was written; literals for the parameters).
     */
    private static void explain(HikariDataSource pool, String when) throws SQLException {
        if (!EXPLAIN) {
            return;
        }
        String[][] queries = {
                {"ResourceStore.offers", """
                        SELECT b.id, r.id FROM dd_blueprint b
                         LEFT JOIN LATERAL (
                              SELECT * FROM dd_resource
                               WHERE blueprint_id = b.id AND b.enabled AND status = 'ACTIVE' AND active_leases < capacity
                               ORDER BY (failed_at IS NOT NULL AND failed_at > now() - interval '5 minutes'),
                                        CASE WHEN b.placement = 'spread' THEN active_leases ELSE -active_leases END, id
                               LIMIT 50) r ON true
                        WHERE b.resource_type = 'host'
                        ORDER BY (r.failed_at IS NOT NULL AND r.failed_at > now() - interval '5 minutes'), r.active_leases DESC, r.id, b.id"""},
                {"LeaseStore.situation", """
                        SELECT l.id, r.id, b.id FROM dd_lease l
                         LEFT JOIN dd_resource r ON r.id = l.resource_id
                         LEFT JOIN dd_blueprint b ON b.id = r.blueprint_id
                        WHERE l.id = (SELECT max(id) FROM dd_lease)"""},
                {"LeaseStore.oldestPending (wakeWaiters)",
                        "SELECT id FROM dd_lease WHERE status = 'PENDING' AND resource_type = 'host' AND waits > 0 ORDER BY id LIMIT 8"},
                {"Janitor: expired", "SELECT id FROM dd_lease WHERE status = 'ACTIVE' AND expires_at < now()"},
                {"Janitor: overdue", "SELECT id FROM dd_lease WHERE status = 'PENDING' AND acquire_deadline < now() LIMIT 100"},
                {"Janitor: health checks due", """
                        SELECT r.id, r.blueprint_id, (extract(epoch FROM now() - coalesce(r.checked_at, r.created_at)) * 1000)::bigint
                        FROM dd_resource r WHERE r.status = 'ACTIVE' ORDER BY r.checked_at NULLS FIRST LIMIT 500"""},
                {"Janitor: idle resources", """
                        SELECT id, (extract(epoch FROM now() - idle_since) * 1000)::bigint FROM dd_resource
                        WHERE status = 'ACTIVE' AND active_leases = 0 AND idle_since IS NOT NULL ORDER BY idle_since LIMIT 200"""},
                {"Janitor: slot locks", """
                        SELECT 1 FROM dd_slot_lock s WHERE
                          (owner_resource_id IS NOT NULL AND NOT EXISTS
                            (SELECT 1 FROM dd_resource r WHERE r.id = s.owner_resource_id AND r.status <> 'DESTROYED'))
                          OR (owner_lease_id IS NOT NULL AND NOT EXISTS
                            (SELECT 1 FROM dd_lease l WHERE l.id = s.owner_lease_id AND l.status <> 'DESTROYED'))"""},
        };
        System.out.println("EXPLAIN ANALYZE " + when + ":");
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (String[] q : queries) {
                System.out.println("  -- " + q[0]);
                try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, COSTS OFF) " + q[1])) {
                    while (rs.next()) {
                        System.out.println("     " + rs.getString(1));
                    }
                }
            }
        }
    }

    private static void report(Percentiles single, double leasesPerSecond, double pgbenchTps, Percentiles atSmall, Percentiles atLarge,
                               LeaseHistory.Counts small, LeaseHistory.Counts large) {
        double growth = atLarge.p50Ms() / atSmall.p50Ms();
        System.out.println("| measure | value | target | met? |");
        System.out.println("|---|---:|---|---|");
        System.out.printf(Locale.ROOT, "| acquire->active p50, single leases (ms) | %.2f | <= %.0f ms | %s |%n",
                single.p50Ms(), TARGET_P50_MS, met(single.p50Ms() <= TARGET_P50_MS));
        System.out.printf(Locale.ROOT, "| acquire->active p99, single leases (ms) | %.2f | <= %.0f ms | %s |%n",
                single.p99Ms(), TARGET_P99_MS, met(single.p99Ms() <= TARGET_P99_MS));
        System.out.printf(Locale.ROOT, "| leases/s, %d clients (acquire+await+release) | %,.0f | >= %,.0f | %s |%n",
                CLIENT_THREADS, leasesPerSecond, TARGET_LEASES_PER_S, met(leasesPerSecond >= TARGET_LEASES_PER_S));
        System.out.printf(Locale.ROOT, "| acquire->active p50 at %,d resource rows (ms) | %.2f | baseline | |%n",
                small.resources(), atSmall.p50Ms());
        System.out.printf(Locale.ROOT, "| acquire->active p50 at %,d resource rows + %,d lease rows (ms) | %.2f | <= %.1fx baseline (%.2fx) | %s |%n",
                large.resources(), large.leases(), atLarge.p50Ms(), TARGET_GROWTH, growth, met(growth <= TARGET_GROWTH));
        System.out.println();
        System.out.printf(Locale.ROOT,
                "{\"lease_p50_ms\": %.3f, \"lease_p99_ms\": %.3f, \"leases_per_s\": %.1f, \"p50_ms_at_100_resources\": %.3f, "
                        + "\"p50_ms_at_100k_resources\": %.3f, \"pgbench_tps\": %.1f}%n",
                single.p50Ms(), single.p99Ms(), leasesPerSecond, atSmall.p50Ms(), atLarge.p50Ms(), pgbenchTps);
    }

    private static String met(boolean met) {
        return met ? "yes" : "no";
    }

    private static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Latency samples in microseconds, for one thread. */
    private static final class Samples {
        private long[] values = new long[1_024];
        private int count;

        void add(long micros) {
            if (count == values.length) {
                values = Arrays.copyOf(values, count * 2);
            }
            values[count++] = micros;
        }

        void addAll(Samples other) {
            for (int i = 0; i < other.count; i++) {
                add(other.values[i]);
            }
        }

        int count() {
            return count;
        }

        double maxMs() {
            long max = 0;
            for (int i = 0; i < count; i++) {
                max = Math.max(max, values[i]);
            }
            return max / 1000.0;
        }

        Percentiles percentiles() {
            return Percentiles.of(values, count);
        }
    }

    /** The taskmaster JVM: started from this jar, READY when it claims, stopped by closing its stdin. */
    private static final class TaskmasterProcess implements AutoCloseable {
        final Process process;
        private final BufferedReader out;
        private boolean stopped;

        private TaskmasterProcess(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static TaskmasterProcess start(BenchDatabase db) throws Exception {
            Path jar = Path.of(LeaseBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String java = ProcessHandle.current().info().command().orElse("java");
            Process p = db.childProcess(List.of(java, "-Xmx1g", "-cp", jar.toString(), LeaseTaskmasterMain.class.getName(),
                    db.jdbcUrl, db.user, Integer.toString(TASKMASTER_THREADS)))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            TaskmasterProcess t = new TaskmasterProcess(p);
            String line;
            while ((line = t.out.readLine()) != null && !line.equals("READY")) {
                // start-up chatter
            }
            if (line == null) {
                p.waitFor();
                throw new IllegalStateException("the taskmaster JVM exited before it was ready (exit " + p.exitValue() + ")");
            }
            return t;
        }

        /** Stops it; returns its summary line. */
        String stop() throws IOException, InterruptedException {
            stopped = true;
            process.getOutputStream().close();
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("TASKMASTER ")) {
                // shutdown chatter
            }
            process.waitFor();
            if (line == null) {
                return "taskmaster JVM: exited with " + process.exitValue() + " and no summary";
            }
            String[] f = line.split(" ");
            return String.format(Locale.ROOT, "taskmaster JVM: %s tasks claimed, %s succeeded, %s yielded, %s retried, %s failed, %s lost",
                    f[1], f[2], f[3], f[4], f[5], f[6]);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            if (!stopped) {
                stopped = true;
                process.getOutputStream().close();
                if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroy();
                }
            }
        }
    }
}
