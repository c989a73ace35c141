package dev.drydock.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.taskqueue.TaskOutcome;
import dev.drydock.taskqueue.TaskQueue;
import dev.drydock.taskqueue.TaskQueueSchema;
import dev.drydock.taskqueue.TaskSpec;
import dev.drydock.taskqueue.Taskmaster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code drydock-bench queue}: this queue against db-scheduler and pgbench, on one server in one
 * run. Throughput: a preloaded backlog of no-op tasks worked with 8 handler threads in total.
 * Latency: tasks enqueued one at a time at a steady 200/s, from a different process than the
 * taskmaster, so every wake-up crosses the database.
 */
final class QueueBenchmark {
    static final String NOOP_KIND = "bench-noop";
    static final String LATENCY_KIND = "bench-latency";
    private static final int RATE = 200;
    /** Taskmasters and threads each for the throughput phase: 8 handler threads in total. */
    private static final int TASKMASTERS = Integer.getInteger("bench.taskmasters", 1);
    private static final int THREADS_EACH = Integer.getInteger("bench.threads", 8);
    /** For profiling one phase: -Dbench.only=throughput (or latency) runs only that phase of this queue. */
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
                return;
            }
            Percentiles ourLatency = drydockLatency(db, pool, seconds);
            System.out.printf("drydock latency: p50 %.2f ms, p99 %.2f ms (%d samples)%n", ourLatency.p50Ms(), ourLatency.p99Ms(), ourLatency.count());
            if (ONLY.equals("latency")) {
                return;
            }

            DbSchedulerRunner peer = new DbSchedulerRunner(pool);
            double theirs = peer.throughput(backlog, seconds);
            System.out.printf("db-scheduler throughput: %,.0f tasks/s%n", theirs);
            Percentiles theirLatency = peer.latency(RATE, seconds);
            System.out.printf("db-scheduler latency: p50 %.2f ms, p99 %.2f ms (%d samples)%n", theirLatency.p50Ms(), theirLatency.p99Ms(), theirLatency.count());

            double pgbench = PgbenchRunner.simpleUpdateTps(db, seconds);
            System.out.printf("pgbench simple-update: %,.0f tps%n", pgbench);
            Percentiles floor = NotifyFloor.measure(pool, RATE, RATE * seconds);
            System.out.printf("PostgreSQL NOTIFY delivery (send returned -> received): p50 %.2f ms, p99 %.2f ms%n%n", floor.p50Ms(), floor.p99Ms());

            report(ours, theirs, pgbench, ourLatency, theirLatency, floor);
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
            taskmasters.add(Taskmaster.builder(pool).name("bench-" + i).threads(THREADS_EACH)
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

    private Percentiles drydockLatency(BenchDatabase db, HikariDataSource pool, int seconds) throws Exception {
        Path jar = Path.of(QueueBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String java = ProcessHandle.current().info().command().orElse("java");
        Process worker = db.childProcess(List.of(java, "-cp", jar.toString(), LatencyWorkerMain.class.getName(),
                db.jdbcUrl, db.user, "8", Integer.toString(RATE)))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals("READY")) {
            // worker start-up chatter
        }
        if (line == null) {
            throw new IllegalStateException("latency worker exited before it was ready");
        }
        TaskQueue queue = TaskQueue.builder(pool).build();
        LatencyRecorder enqueueTime = new LatencyRecorder(RATE * (seconds + 1), RATE);
        Pacer.run(RATE, seconds + 1, () -> {
            long stamp = Micros.now();
            queue.enqueue(TaskSpec.of(LATENCY_KIND, LatencyRecorder.payload(stamp)));
            enqueueTime.record(stamp);
        });
        Percentiles enqueue = enqueueTime.percentiles();
        System.out.printf("drydock enqueue call (part of the latency): p50 %.2f ms, p99 %.2f ms%n", enqueue.p50Ms(), enqueue.p99Ms());
        Thread.sleep(500); // let the last tasks start
        worker.getOutputStream().close();
        while ((line = out.readLine()) != null && !line.startsWith("LATENCY ")) {
            // shutdown chatter
        }
        worker.waitFor();
        if (line == null) {
            throw new IllegalStateException("latency worker printed no result");
        }
        String[] parts = line.split(" ");
        int count = Integer.parseInt(parts[1]);
        double p50 = Double.parseDouble(parts[2]);
        double p99 = Double.parseDouble(parts[3]);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE tq_task, tq_task_archive");
        }
        return new Percentiles(count, p50, Double.NaN, p99, Double.NaN); // the worker reports p50 and p99 only
    }

    private static void vacuum(HikariDataSource pool) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE");
        }
    }

    private static void report(double ours, double theirs, double pgbench, Percentiles ourLatency, Percentiles theirLatency,
                               Percentiles floor) {
        System.out.println("| measure | drydock | db-scheduler | pgbench simple-update | target | met |");
        System.out.println("|---|---:|---:|---:|---|---|");
        System.out.printf(Locale.ROOT, "| throughput (tasks/s, 8 threads) | %,.0f | %,.0f | %,.0f tps | >= 2x db-scheduler (%.2fx), >= 2x pgbench (%.2fx) | %s |%n",
                ours, theirs, pgbench, ours / theirs, ours / pgbench, ours >= 2 * theirs && ours >= 2 * pgbench ? "yes" : "no");
        System.out.printf(Locale.ROOT, "| enqueue->start p50 at %d/s (ms) | %.2f | %.2f | | <= db-scheduler | %s |%n",
                RATE, ourLatency.p50Ms(), theirLatency.p50Ms(), ourLatency.p50Ms() <= theirLatency.p50Ms() ? "yes" : "no");
        System.out.printf(Locale.ROOT, "| enqueue->start p99 at %d/s (ms) | %.2f | %.2f | | <= db-scheduler | %s |%n",
                RATE, ourLatency.p99Ms(), theirLatency.p99Ms(), ourLatency.p99Ms() <= theirLatency.p99Ms() ? "yes" : "no");
        System.out.printf(Locale.ROOT, "| PostgreSQL NOTIFY delivery alone p50 / p99 (ms) | %.2f / %.2f | (in-process wake-up, no NOTIFY) | | floor under any cross-process wake-up | |%n",
                floor.p50Ms(), floor.p99Ms());
        System.out.println();
        System.out.printf(Locale.ROOT,
                "{\"drydock_tasks_per_s\": %.1f, \"dbscheduler_tasks_per_s\": %.1f, \"pgbench_tps\": %.1f, \"drydock_p50_ms\": %.3f, \"drydock_p99_ms\": %.3f, \"dbscheduler_p50_ms\": %.3f, \"dbscheduler_p99_ms\": %.3f, \"notify_floor_p50_ms\": %.3f}%n",
                ours, theirs, pgbench, ourLatency.p50Ms(), ourLatency.p99Ms(), theirLatency.p50Ms(), theirLatency.p99Ms(), floor.p50Ms());
    }
}
