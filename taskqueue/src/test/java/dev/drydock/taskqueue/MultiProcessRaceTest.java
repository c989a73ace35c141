package dev.drydock.taskqueue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Await;
import dev.drydock.testing.JavaProcess;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four taskmasters in this JVM and one in another race for 20,000 tasks. Checked from the
 * database afterwards: every task ran exactly once and succeeded once, and no two tasks sharing a
 * serialization key ever overlapped in time.
 */
@ExtendWith(PostgresExtension.class)
class MultiProcessRaceTest {
    private static final int TASKS = 20_000;
    private static final int KEYS = 40;

    /** Kept if the test fails: the worker JVM's log is in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path temp;

    @Test
    void everyTaskRunsExactlyOnceAndKeysNeverOverlap(TestDatabase db) throws Exception {
        QueueFixture fx = new QueueFixture(db);
        try (Connection c = db.connect()) {
            RecordingHandler.createTable(c);
        }
        List<TaskSpec> specs = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            // One task in four is serialized on one of 40 keys and takes a moment, so overlaps would show.
            TaskSpec.Builder spec = TaskSpec.builder(RecordingHandler.KIND);
            if (i % 4 == 0) {
                String key = "key-" + (i / 4) % KEYS;
                spec.serialKey(key).payload(RecordingHandler.payload(1, key));
            } else {
                spec.payload(RecordingHandler.payload(0, null));
            }
            specs.add(spec.build());
        }
        for (int from = 0; from < TASKS; from += 1_000) {
            fx.queue.enqueueAll(specs.subList(from, from + 1_000));
        }

        Path log = Files.createTempFile(temp, "race-worker", ".log");
        Process other = JavaProcess.start(WorkerMain.class, log,
                List.of(db.jdbcUrl(), db.user(), db.password().isEmpty() ? "-" : db.password(), "other-jvm", "4", "30000"));
        List<RecordingHandler> recorders = new ArrayList<>();
        try {
            // the local taskmasters would finish the lot before a JVM that is still starting takes part
            Await.until("the other JVM's taskmaster to register", Duration.ofSeconds(60),
                    () -> fx.count("SELECT count(*) FROM tq_taskmaster WHERE id LIKE 'other-jvm-%'") == 1 || !other.isAlive());
            for (int i = 0; i < 4; i++) {
                RecordingHandler recorder = new RecordingHandler(db.jdbcUrl(), db.user(), db.password(), "local-" + i);
                recorders.add(recorder);
                fx.start(b -> b.threads(4).handler(RecordingHandler.KIND, recorder));
            }
            Await.until(TASKS + " tasks archived", Duration.ofMinutes(5),
                    () -> fx.count("SELECT count(*) FROM tq_task_archive") == TASKS || !other.isAlive());
            assertThat(other.isAlive()).as("worker JVM alive; its log: %s", log).isTrue();
        } finally {
            fx.close();
            other.getOutputStream().close();
            other.waitFor();
            recorders.forEach(RecordingHandler::close);
        }

        assertThat(fx.count("SELECT count(*) FROM tq_task")).isZero();
        assertThat(fx.count("SELECT count(*) FROM tq_task_archive WHERE outcome = 'succeeded'")).isEqualTo(TASKS);
        assertThat(fx.count("SELECT count(*) FROM test_execution")).as("executions").isEqualTo(TASKS);
        assertThat(fx.count("SELECT count(DISTINCT task_id) FROM test_execution")).isEqualTo(TASKS);
        assertThat(fx.count("SELECT count(*) FROM test_execution WHERE worker = 'other-jvm'"))
                .as("the second JVM took part").isPositive();
        assertThat(fx.count("SELECT count(DISTINCT worker) FROM test_execution")).isEqualTo(5);
        assertThat(fx.count("""
                SELECT count(*) FROM test_execution a JOIN test_execution b
                  ON a.serial_key = b.serial_key AND a.task_id < b.task_id
                 AND a.started_at < b.finished_at AND b.started_at < a.finished_at""")).as("overlapping runs of one key").isZero();
    }
}
