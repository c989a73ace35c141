package dev.drydock.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.taskqueue.TaskOutcome;
import dev.drydock.taskqueue.TaskQueue;
import dev.drydock.taskqueue.TaskSpec;
import dev.drydock.taskqueue.Taskmaster;
import java.sql.Connection;
import java.sql.Statement;

/**
 * Enqueue-to-start latency of this queue at a steady rate, one task per {@code enqueue()}: with the
 * taskmaster in this JVM (the enqueue rings it once committed), and with it in another JVM (the
 * task reaches it through the database). The stamp is the wall clock just before the enqueue call;
 * the first second's tasks are not counted.
 */
final class DrydockLatency {
    private final BenchDatabase db;
    private final HikariDataSource pool;
    private final int perSecond;
    private final int seconds;

    DrydockLatency(BenchDatabase db, HikariDataSource pool, int perSecond, int seconds) {
        this.db = db;
        this.pool = pool;
        this.perSecond = perSecond;
        this.seconds = seconds;
    }

    /** A taskmaster with 8 threads on the same pool as the enqueuer. */
    Percentiles sameJvm() throws Exception {
        LatencyRecorder recorder = new LatencyRecorder(perSecond * (seconds + 1), perSecond);
        try (Taskmaster taskmaster = Taskmaster.builder(pool).name("latency-here").threads(8)
                .handler(QueueBenchmark.LATENCY_KIND, task -> {
                    recorder.record(LatencyRecorder.parse(task.payload()));
                    return TaskOutcome.success();
                }).build().start()) {
            Percentiles enqueue = enqueueAtRate();
            System.out.printf("drydock enqueue call, same JVM: p50 %.2f ms, p99 %.2f ms%n", enqueue.p50Ms(), enqueue.p99Ms());
            recorder.awaitSeen((long) perSecond * (seconds + 1));
        } finally {
            truncate();
        }
        return recorder.percentiles();
    }

    /** A taskmaster with 8 threads in a {@link LatencyWorkerMain} of its own. */
    Percentiles crossProcess() throws Exception {
        ChildJvm worker = ChildJvm.start(db, LatencyWorkerMain.class, "8", Integer.toString(perSecond));
        try {
            worker.awaitLine("READY");
            Percentiles enqueue = enqueueAtRate();
            System.out.printf("drydock enqueue call, other JVM: p50 %.2f ms, p99 %.2f ms%n", enqueue.p50Ms(), enqueue.p99Ms());
            Thread.sleep(500); // let the last tasks start
            worker.closeInput();
            String[] parts = worker.awaitLine("LATENCY ").split(" ");
            worker.waitFor();
            // the worker reports p50 and p99 only
            return new Percentiles(Integer.parseInt(parts[1]), Double.parseDouble(parts[2]), Double.NaN, Double.parseDouble(parts[3]), Double.NaN);
        } finally {
            truncate();
        }
    }

    /** Enqueues one task at a time at the rate for the phase's seconds plus one; returns the enqueue calls' own times. */
    private Percentiles enqueueAtRate() {
        TaskQueue queue = TaskQueue.builder(pool).build();
        LatencyRecorder enqueueTime = new LatencyRecorder(perSecond * (seconds + 1), perSecond);
        Pacer.run(perSecond, seconds + 1, () -> {
            long stamp = Micros.now();
            queue.enqueue(TaskSpec.of(QueueBenchmark.LATENCY_KIND, LatencyRecorder.payload(stamp)));
            enqueueTime.record(stamp);
        });
        return enqueueTime.percentiles();
    }

    private void truncate() throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE tq_task, tq_task_archive");
        }
    }
}
