package dev.drydock.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.api.Gang;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.core.Drydock;
import dev.drydock.taskqueue.Taskmaster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * {@code drydock-bench planner}: what a warm pool buys and how fast the planner reacts, on local-host
 * blueprints whose builds take a configured 2 s (a machine that boots) and that destroy a slot once
 * its lease is released, so that every lease needs a fresh one. In one JVM with an in-process
 * taskmaster:
 * <ol>
 *   <li>lease → ACTIVE, one at a time, on a cold blueprint (every lease waits for a build) and on
 *       one with {@code minReady 2} (each lease arrives once the pool is back to 2);</li>
 *   <li>the planner's reaction: from a lease taking a warm slot (its log row) to the replacement's
 *       build (the warm build's log row), both at the database's {@code clock_timestamp()};</li>
 *   <li>gangs of 4 ({@code acquireAll} → every member ACTIVE), one at a time, cold and on a pool of
 *       {@code minReady 4}.</li>
 * </ol>
 */
final class PlannerBenchmark {
    private static final int LEASES = 20;
    private static final double BUILD_SECONDS = 2;
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final int GANG = 4;
    private static final int GANGS = 10;
    private final BenchOptions options;

    PlannerBenchmark(BenchOptions options) {
        this.options = options;
    }

    void run() throws Exception {
        Path root = ScratchRoot.create(options.root(), "drydock-bench-planner-");
        try (BenchDatabase db = BenchDatabase.open(options); HikariDataSource pool = db.pool("bench-planner", 24);
             Drydock drydock = Drydock.builder(pool).register(new LocalHostBlueprint()).build();
             Taskmaster taskmaster = drydock.taskmaster().threads(16).build().start()) {
            System.out.println("server: " + db.describe());
            System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version());
            System.out.printf(Locale.ROOT, "local-host blueprints, builds of %.1f s (buildDelaySeconds), keepIdle false: each lease needs a"
                    + " fresh slot; %d leases one at a time%n%n", BUILD_SECONDS, LEASES);
            String config = "{\"root\": \"" + root.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\", \"keepIdle\": false, "
                    + "\"buildDelaySeconds\": " + BUILD_SECONDS + "}";
            drydock.blueprints().create("cold", LocalHostBlueprint.TYPE, config, 4);
            drydock.blueprints().create("warm", LocalHostBlueprint.TYPE, config, 6);

            Percentiles cold = sequential(drydock, "cold", () -> true);
            System.out.printf(Locale.ROOT, "cold blueprint, lease -> ACTIVE: p50 %.0f ms, p95 %.0f ms, max %.0f ms (%d leases)%n",
                    cold.p50Ms(), cold.p95Ms(), cold.maxMs(), cold.count());

            drydock.blueprints().setWarmPool("warm", Map.of(), 2, Optional.empty());
            long warmId = drydock.blueprints().find("warm").orElseThrow().id();
            long logBefore = lastLogId(pool);
            Percentiles warm = sequential(drydock, "warm", () -> idle(pool, warmId) >= 2);
            System.out.printf(Locale.ROOT, "minReady 2, lease -> ACTIVE: p50 %.1f ms, p95 %.1f ms, max %.1f ms (%d leases, each once the"
                    + " pool is back to 2 idle)%n", warm.p50Ms(), warm.p95Ms(), warm.maxMs(), warm.count());
            Percentiles reaction = reactions(pool, logBefore);
            System.out.printf(Locale.ROOT, "planner reaction, a lease takes a warm slot -> the replacement's build starts: p50 %.1f ms,"
                    + " p99 %.1f ms, max %.1f ms (%d)%n", reaction.p50Ms(), reaction.p99Ms(), reaction.maxMs(), reaction.count());
            drydock.blueprints().setWarmPool("warm", Map.of(), 0, Optional.empty());

            drydock.blueprints().create("gang-cold", LocalHostBlueprint.TYPE, config, GANG * 2);
            drydock.blueprints().create("gang-warm", LocalHostBlueprint.TYPE, config, GANG * 2);
            Percentiles coldGangs = gangs(drydock, "gang-cold", () -> true);
            System.out.printf(Locale.ROOT, "gang of %d, acquireAll -> all ACTIVE, cold blueprint: p50 %.0f ms, p95 %.0f ms, max %.0f ms (%d gangs)%n",
                    GANG, coldGangs.p50Ms(), coldGangs.p95Ms(), coldGangs.maxMs(), coldGangs.count());
            drydock.blueprints().setWarmPool("gang-warm", Map.of(), GANG, Optional.empty());
            long gangWarmId = drydock.blueprints().find("gang-warm").orElseThrow().id();
            Percentiles warmGangs = gangs(drydock, "gang-warm", () -> idle(pool, gangWarmId) >= GANG);
            System.out.printf(Locale.ROOT, "gang of %d, acquireAll -> all ACTIVE, minReady %d: p50 %.1f ms, p95 %.1f ms, max %.1f ms (%d gangs)%n",
                    GANG, GANG, warmGangs.p50Ms(), warmGangs.p95Ms(), warmGangs.maxMs(), warmGangs.count());
            drydock.blueprints().setWarmPool("gang-warm", Map.of(), 0, Optional.empty());
            System.out.printf(Locale.ROOT, "%n{\"cold_p50_ms\": %.0f, \"warm_p50_ms\": %.1f, \"reaction_p50_ms\": %.1f, \"reaction_p99_ms\": %.1f,"
                            + " \"gang4_cold_p50_ms\": %.0f, \"gang4_warm_p50_ms\": %.1f}%n",
                    cold.p50Ms(), warm.p50Ms(), reaction.p50Ms(), reaction.p99Ms(), coldGangs.p50Ms(), warmGangs.p50Ms());
            awaitTrue("every slot destroyed", () -> live(pool) == 0);
        } finally {
            ScratchRoot.delete(root);
        }
    }

    /** Lease → ACTIVE for {@link #LEASES} leases one at a time, each acquired once {@code ready} holds. */
    private static Percentiles sequential(Drydock drydock, String blueprint, BooleanSupplier ready) {
        long[] micros = new long[LEASES];
        for (int i = 0; i < LEASES; i++) {
            awaitTrue("the pool ready for the next lease", ready);
            long start = System.nanoTime();
            try (Lease lease = drydock.allocator().acquire(LeaseRequest.builder("host").blueprint(blueprint).acquireDeadline(WAIT).build())) {
                lease.await(WAIT);
                micros[i] = (System.nanoTime() - start) / 1000;
            }
        }
        return Percentiles.of(micros, LEASES);
    }

    /** {@code acquireAll} of {@link #GANG} members → all ACTIVE, for {@link #GANGS} gangs one at a time, each once {@code ready} holds. */
    private static Percentiles gangs(Drydock drydock, String blueprint, BooleanSupplier ready) {
        long[] micros = new long[GANGS];
        for (int i = 0; i < GANGS; i++) {
            awaitTrue("the pool ready for the next gang", ready);
            long start = System.nanoTime();
            try (Gang gang = drydock.allocator().acquireAll(java.util.Collections.nCopies(GANG,
                    LeaseRequest.builder("host").blueprint(blueprint).acquireDeadline(WAIT).build()))) {
                gang.await(WAIT);
                micros[i] = (System.nanoTime() - start) / 1000;
            }
        }
        return Percentiles.of(micros, GANGS);
    }

    /**
     * For each lease of blueprint warm that took a slot after log row {@code after}, the time from
     * its placement row to the first warm build's row after it.
     */
    private static Percentiles reactions(HikariDataSource pool, long after) throws SQLException {
        String sql = """
                SELECT (extract(epoch FROM (SELECT min(w.at) FROM dd_log w WHERE w.id > t.id
                                             AND w.message LIKE 'resource % PENDING: built for warm pool %') - t.at) * 1000000)::bigint
                  FROM dd_log t
                 WHERE t.id > ? AND t.message LIKE 'lease % PENDING -> ACQUIRED: acquired on resource % of blueprint warm%'""";
        long[] micros = new long[LEASES * 2];
        int n = 0;
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, after);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next() && n < micros.length) {
                    long v = rs.getLong(1);
                    if (!rs.wasNull()) {
                        micros[n++] = v;
                    }
                }
            }
        }
        return Percentiles.of(micros, n);
    }

    /** Idle slots the pool built and no lease used (a used one is on its way to being destroyed). */
    private static long idle(HikariDataSource pool, long blueprintId) {
        return count(pool, "SELECT count(*) FROM dd_resource WHERE blueprint_id = " + blueprintId
                + " AND status = 'ACTIVE' AND active_leases = 0 AND warm_pool_id IS NOT NULL AND idle_since = ready_at");
    }

    private static long live(HikariDataSource pool) {
        return count(pool, "SELECT count(*) FROM dd_resource WHERE status <> 'DESTROYED'");
    }

    private static long lastLogId(HikariDataSource pool) {
        return count(pool, "SELECT coalesce(max(id), 0) FROM dd_log");
    }

    private static long count(HikariDataSource pool, String sql) {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the benchmark's database: " + e.getMessage(), e);
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }
}
