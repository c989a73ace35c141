package dev.drydock.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.taskqueue.TaskOutcome;
import dev.drydock.taskqueue.Taskmaster;
import java.io.IOException;

/**
 * The taskmaster side of the latency phase, in its own JVM so that every wake-up crosses the
 * database. Prints {@code READY}, records start latencies until its stdin closes, then prints
 * {@code LATENCY count p50_ms p99_ms}. Arguments: jdbcUrl user threads warmupTasks (the password comes in the environment).
 */
public final class LatencyWorkerMain {
    private LatencyWorkerMain() {}

    public static void main(String[] args) throws IOException {
        BenchDatabase db = BenchDatabase.inChild(args[0], args[1]);
        int threads = Integer.parseInt(args[2]);
        LatencyRecorder recorder = new LatencyRecorder(1_000_000, Integer.parseInt(args[3]));
        try (HikariDataSource pool = db.pool("latency-worker", 4);
             Taskmaster taskmaster = Taskmaster.builder(pool).name("latency").threads(threads)
                     .handler(QueueBenchmark.LATENCY_KIND, task -> {
                         recorder.record(LatencyRecorder.parse(task.payload()));
                         return TaskOutcome.success();
                     }).build()) {
            taskmaster.start();
            System.out.println("READY");
            System.out.flush();
            while (System.in.read() != -1) {
                // until the parent closes our stdin
            }
        }
        Percentiles p = recorder.percentiles();
        System.out.printf("LATENCY %d %.3f %.3f%n", p.count(), p.p50Ms(), p.p99Ms());
        System.out.flush();
    }
}
