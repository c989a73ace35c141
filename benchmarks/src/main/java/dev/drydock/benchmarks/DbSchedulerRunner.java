package dev.drydock.benchmarks;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The peer: db-scheduler on the same database, at the settings its authors recommend for
 * throughput — lock-and-fetch polling (0.5, 4.0), immediate execution, 8 threads, 100 ms polling.
 */
final class DbSchedulerRunner {
    private static final String DDL = """
            CREATE TABLE IF NOT EXISTS scheduled_tasks (
              task_name text NOT NULL, task_instance text NOT NULL, task_data bytea,
              execution_time timestamptz NOT NULL, picked boolean NOT NULL, picked_by text,
              last_success timestamptz, last_failure timestamptz, consecutive_failures int,
              last_heartbeat timestamptz, version bigint NOT NULL, priority smallint,
              PRIMARY KEY (task_name, task_instance));
            CREATE INDEX IF NOT EXISTS execution_time_idx ON scheduled_tasks (execution_time);
            CREATE INDEX IF NOT EXISTS last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
            CREATE INDEX IF NOT EXISTS priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
            """;

    private final DataSource dataSource;

    DbSchedulerRunner(DataSource dataSource) throws SQLException {
        this.dataSource = dataSource;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(DDL);
        }
    }

    private Scheduler scheduler(OneTimeTask<?> task) {
        return Scheduler.create(dataSource, task)
                .threads(8)
                .pollUsingLockAndFetch(0.5, 4.0)
                .enableImmediateExecution()
                .pollingInterval(Duration.ofMillis(100))
                .build();
    }

    /** Preloads {@code backlog} no-op tasks, then counts executions during {@code seconds} after 1 s of warm-up. */
    double throughput(int backlog, int seconds) throws Exception {
        AtomicLong executed = new AtomicLong();
        OneTimeTask<Void> noop = Tasks.oneTime("noop").execute((instance, context) -> executed.incrementAndGet());
        List<TaskInstance<?>> batch = new ArrayList<>();
        for (int i = 0; i < backlog; i++) {
            batch.add(noop.instance("n" + i));
            if (batch.size() == 1_000) {
                Scheduler.create(dataSource, noop).build().scheduleBatch(batch, Instant.now());
                batch.clear();
            }
        }
        Scheduler scheduler = scheduler(noop);
        scheduler.start();
        try {
            Thread.sleep(1_000);
            long before = executed.get();
            long start = System.nanoTime();
            Thread.sleep(seconds * 1_000L);
            long done = executed.get() - before;
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (executed.get() >= backlog) {
                throw new IllegalStateException("db-scheduler drained its backlog of " + backlog + " before the window ended: raise it");
            }
            return done / elapsed;
        } finally {
            scheduler.stop();
            truncate();
        }
    }

    /** Schedules tasks at {@code perSecond} for {@code seconds} from this process; latency to start. */
    Percentiles latency(int perSecond, int seconds) throws Exception {
        LatencyRecorder recorder = new LatencyRecorder(perSecond * seconds, perSecond);
        OneTimeTask<Long> task = Tasks.oneTime("latency", Long.class)
                .execute((instance, context) -> recorder.record(instance.getData()));
        Scheduler scheduler = scheduler(task);
        scheduler.start();
        try {
            AtomicLong sequence = new AtomicLong();
            Pacer.run(perSecond, seconds + 1, () -> {
                long now = Micros.now();
                scheduler.schedule(task.instance("l" + sequence.incrementAndGet(), now), Instant.now());
            });
            recorder.awaitSeen((long) perSecond * (seconds + 1));
            return recorder.percentiles();
        } finally {
            scheduler.stop();
            truncate();
        }
    }

    /**
     * Latency to start of tasks scheduled at {@code perSecond} for {@code seconds} by a {@link
     * DbSchedulerClientMain} in another JVM: with no scheduler there, nothing triggers an immediate
     * execution, and the scheduler here finds the tasks by polling.
     */
    Percentiles remoteLatency(BenchDatabase db, int perSecond, int seconds) throws Exception {
        LatencyRecorder recorder = new LatencyRecorder(perSecond * (seconds + 1), perSecond);
        OneTimeTask<Long> task = remoteLatencyTask(recorder::record);
        Scheduler scheduler = scheduler(task);
        scheduler.start();
        try {
            ChildJvm client = ChildJvm.start(db, DbSchedulerClientMain.class, Integer.toString(perSecond), Integer.toString(seconds + 1));
            client.awaitLine("DONE");
            client.waitFor();
            recorder.awaitSeen((long) perSecond * (seconds + 1));
            return recorder.percentiles();
        } finally {
            scheduler.stop();
            truncate();
        }
    }

    /** The task of {@link #remoteLatency}, known by the same name to the scheduler and the client in the other JVM. */
    static OneTimeTask<Long> remoteLatencyTask(java.util.function.LongConsumer started) {
        return Tasks.oneTime("latency-remote", Long.class).execute((instance, context) -> started.accept(instance.getData()));
    }

    private void truncate() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE scheduled_tasks");
        }
    }
}
