package dev.drydock.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.taskqueue.TaskOutcome;
import dev.drydock.taskqueue.TaskQueue;
import dev.drydock.taskqueue.TaskQueueSchema;
import dev.drydock.taskqueue.TaskSpec;
import dev.drydock.taskqueue.Taskmaster;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code drydock-bench queue}: this queue against db-scheduler and pgbench, on one server in one
 * run. Throughput: a preloaded backlog of no-op tasks worked with 8 handler threads in total.
 * Latency: tasks enqueued one at a time at a steady 200/s, by the JVM that runs the worker and by
 * another one, for both queues (see {@link DrydockLatency} and {@link DbSchedulerRunner}).
 */
final class QueueBenchmark {
    static final String NOOP_KIND = "bench-noop";
    static final String LATENCY_KIND = "bench-latency";
    private static final int RATE = 200;
    /** Taskmasters and threads each for the throughput phase: 8 handler threads in total. */
    private static final int TASKMASTERS = Integer.getInteger("bench.taskmasters", 1);
    private static final int THREADS_EACH = Integer.getInteger("bench.threads", 8);
    /** For profiling: -Dbench.only=throughput runs only the throughput phases (this queue's, then db-scheduler's), -Dbench.only=latency only this queue's latency phases. */
    /** For comparing: -Dbench.prefetch=false runs the throughput phase without claiming ahead of free threads. */
    private static final boolean PREFETCH = Boolean.parseBoolean(System.getProperty("bench.prefetch", "true"));
    private static final String ONLY = System.getProperty("bench.only", "");

    private final BenchOptions options;

    QueueBenchmark(BenchOptions options) {
        this.options = options;
    }

    void run() throws Exception {
        int seconds = options.seconds();
        int backlog = Math.min(2_000_000, seconds * 40_000 + 80_000);
        try (BenchDatabase db = BenchDatabase.open(options); HikariDataSource pool = db.pool("bench", 16)) {
            System.out.println("server: " + db.describe());
            System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version());
            System.out.printf("phases: %d s each; throughput backlog %,d tasks; latency at %d tasks/s%n%n", seconds, backlog, RATE);
            TaskQueueSchema.migrate(pool);

            double ours = ONLY.equals("latency") ? Double.NaN : drydockThroughput(pool, backlog, seconds);
            System.out.printf("drydock throughput: %,.0f tasks/s%n", ours);
            if (ONLY.equals("throughput")) {
                System.out.printf("db-scheduler throughput: %,.0f tasks/s%n", new DbSchedulerRunner(pool).throughput(backlog, seconds));
                return;
            }
            DrydockLatency drydock = new DrydockLatency(db, pool, RATE, seconds);
            Percentiles ourHere = drydock.sameJvm();
            System.out.printf("drydock latency, taskmaster in the enqueuer's JVM: p50 %.2f ms, p99 %.2f ms (%d samples)%n",
                    ourHere.p50Ms(), ourHere.p99Ms(), ourHere.count());
            Percentiles ourThere = drydock.crossProcess();
            System.out.printf("drydock latency, taskmaster in another JVM: p50 %.2f ms, p99 %.2f ms (%d samples)%n",
                    ourThere.p50Ms(), ourThere.p99Ms(), ourThere.count());
            if (ONLY.equals("latency")) {
                return;
            }

            DbSchedulerRunner peer = new DbSchedulerRunner(pool);
            double theirs = peer.throughput(backlog, seconds);
            System.out.printf("db-scheduler throughput: %,.0f tasks/s%n", theirs);
            Percentiles theirHere = peer.latency(RATE, seconds);
            System.out.printf("db-scheduler latency, immediate execution (enqueuer in the scheduler's JVM): p50 %.2f ms, p99 %.2f ms (%d samples)%n",
                    theirHere.p50Ms(), theirHere.p99Ms(), theirHere.count());
            Percentiles theirThere = peer.remoteLatency(db, RATE, seconds);
            System.out.printf("db-scheduler latency, enqueuer in another JVM: p50 %.2f ms, p99 %.2f ms (%d samples)%n",
                    theirThere.p50Ms(), theirThere.p99Ms(), theirThere.count());

            double pgbench = PgbenchRunner.simpleUpdateTps(db, seconds);
            System.out.printf("pgbench simple-update: %,.0f tps%n", pgbench);
            Percentiles floor = NotifyFloor.measure(pool, RATE, RATE * seconds);
            System.out.printf("PostgreSQL NOTIFY delivery (send returned -> received): p50 %.2f ms, p99 %.2f ms%n%n", floor.p50Ms(), floor.p99Ms());

            report(ours, theirs, pgbench, new Latencies(ourHere, theirHere, ourThere, theirThere), floor);
        }
    }

    private double drydockThroughput(HikariDataSource pool, int backlog, int seconds) throws Exception {
        TaskQueue queue = TaskQueue.builder(pool).build();
        List<TaskSpec> batch = new ArrayList<>(1_000);
        long loadStart = System.nanoTime();
        for (int i = 0; i < backlog; i++) {
            batch.add(TaskSpec.of(NOOP_KIND, "{}"));
            if (batch.size() == 1_000) {
                queue.enqueueAll(batch);
                batch.clear();
            }
        }
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        System.out.printf("drydock enqueue (batches of 1,000): %,.0f tasks/s%n", backlog / loadSeconds);
        vacuum(pool);
        List<Taskmaster> taskmasters = new ArrayList<>();
        for (int i = 0; i < TASKMASTERS; i++) {
            taskmasters.add(Taskmaster.builder(pool).name("bench-" + i).threads(THREADS_EACH).prefetch(PREFETCH)
                    .handler(NOOP_KIND, task -> TaskOutcome.success()).build().start());
        }
        try {
            Thread.sleep(1_000);
            long before = succeeded(taskmasters);
            long start = System.nanoTime();
            Thread.sleep(seconds * 1_000L);
            long done = succeeded(taskmasters) - before;
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (succeeded(taskmasters) >= backlog) {
                throw new IllegalStateException("drydock drained its backlog of " + backlog + " before the window ended: raise it");
            }
            return done / elapsed;
        } finally {
            taskmasters.forEach(t -> t.close(java.time.Duration.ofSeconds(5)));
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("TRUNCATE tq_task, tq_task_archive");
            }
            vacuum(pool);
        }
    }

    private static long succeeded(List<Taskmaster> taskmasters) {
        return taskmasters.stream().mapToLong(t -> t.metrics().succeeded()).sum();
    }

    private static void vacuum(HikariDataSource pool) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE");
        }
    }

    /** The four latency phases: ours and db-scheduler's, with the enqueuer in the worker's JVM and in another. */
    private record Latencies(Percentiles oursHere, Percentiles theirsHere, Percentiles oursThere, Percentiles theirsThere) {}

    private static void report(double ours, double theirs, double pgbench, Latencies l, Percentiles floor) {
        System.out.println("| measure | drydock | db-scheduler | pgbench simple-update | target | met |");
        System.out.println("|---|---:|---:|---:|---|---|");
        System.out.printf(Locale.ROOT, "| throughput (tasks/s, 8 threads) | %,.0f | %,.0f | %,.0f tps | >= 2x db-scheduler (%.2fx) | %s |%n",
                ours, theirs, pgbench, ours / theirs, ours >= 2 * theirs ? "yes" : "no");
        System.out.printf(Locale.ROOT, "| same JVM: enqueue->start p50 at %d/s (ms) | %.2f | %.2f (immediate execution) | | <= db-scheduler | %s |%n",
                RATE, l.oursHere.p50Ms(), l.theirsHere.p50Ms(), l.oursHere.p50Ms() <= l.theirsHere.p50Ms() ? "yes" : "no");
        System.out.printf(Locale.ROOT, "| same JVM: enqueue->start p99 at %d/s (ms) | %.2f | %.2f (immediate execution) | | <= db-scheduler | %s |%n",
                RATE, l.oursHere.p99Ms(), l.theirsHere.p99Ms(), l.oursHere.p99Ms() <= l.theirsHere.p99Ms() ? "yes" : "no");
        System.out.printf(Locale.ROOT, "| enqueuer in another JVM: enqueue->start p50 at %d/s (ms) | %.2f | %.2f | | <= 0.1x db-scheduler (%.3fx) | %s |%n",
                RATE, l.oursThere.p50Ms(), l.theirsThere.p50Ms(), l.oursThere.p50Ms() / l.theirsThere.p50Ms(),
                l.oursThere.p50Ms() <= 0.1 * l.theirsThere.p50Ms() ? "yes" : "no");
        System.out.printf(Locale.ROOT, "| enqueuer in another JVM: enqueue->start p99 at %d/s (ms) | %.2f | %.2f | | (reported) | |%n",
                RATE, l.oursThere.p99Ms(), l.theirsThere.p99Ms());
        System.out.printf(Locale.ROOT, "| PostgreSQL NOTIFY delivery alone p50 / p99 (ms) | %.2f / %.2f | | | floor under a NOTIFY wake-up | |%n",
                floor.p50Ms(), floor.p99Ms());
        System.out.println();
        System.out.printf(Locale.ROOT,
                "{\"drydock_tasks_per_s\": %.1f, \"dbscheduler_tasks_per_s\": %.1f, \"pgbench_tps\": %.1f, "
                        + "\"drydock_same_jvm_p50_ms\": %.3f, \"drydock_same_jvm_p99_ms\": %.3f, \"dbscheduler_immediate_p50_ms\": %.3f, \"dbscheduler_immediate_p99_ms\": %.3f, "
                        + "\"drydock_other_jvm_p50_ms\": %.3f, \"drydock_other_jvm_p99_ms\": %.3f, \"dbscheduler_other_jvm_p50_ms\": %.3f, \"dbscheduler_other_jvm_p99_ms\": %.3f, "
                        + "\"notify_floor_p50_ms\": %.3f}%n",
                ours, theirs, pgbench, l.oursHere.p50Ms(), l.oursHere.p99Ms(), l.theirsHere.p50Ms(), l.theirsHere.p99Ms(),
                l.oursThere.p50Ms(), l.oursThere.p99Ms(), l.theirsThere.p50Ms(), l.theirsThere.p99Ms(), floor.p50Ms());
    }
}
