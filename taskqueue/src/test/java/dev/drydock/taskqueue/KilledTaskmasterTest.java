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

/** A taskmaster JVM killed with SIGKILL while it holds tasks: another one finishes them. */
@ExtendWith(PostgresExtension.class)
class KilledTaskmasterTest {
    private static final int TASKS = 40;

    @Test
    void tasksHeldByAKilledTaskmasterAreFinishedByAnotherExactlyOnce(TestDatabase db) throws Exception {
        QueueFixture fx = new QueueFixture(db);
        try (Connection c = db.connect()) {
            RecordingHandler.createTable(c);
        }
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            specs.add(TaskSpec.of(RecordingHandler.KIND, RecordingHandler.payload(400, null)));
        }
        fx.queue.enqueueAll(specs);
        Path log = Files.createTempFile("victim", ".log");
        // Without claiming ahead, the victim holds exactly its four running tasks, none finished yet.
        Process victim = JavaProcess.start(WorkerMain.class, log,
                List.of(db.jdbcUrl(), db.user(), db.password().isEmpty() ? "-" : db.password(), "victim", "4", "2000", "no-prefetch"));
        try {
            Await.until("the victim to hold tasks", Duration.ofSeconds(60),
                    () -> fx.count("SELECT count(*) FROM tq_task WHERE state = 'running' AND owner LIKE 'victim-%'") == 4);
        } finally {
            victim.destroyForcibly(); // SIGKILL: no shutdown hook, no hand-back
            victim.waitFor();
        }
        long orphaned = fx.count("SELECT count(*) FROM tq_task WHERE state = 'running' AND owner LIKE 'victim-%'");
        assertThat(orphaned).as("tasks the victim held when it died").isPositive();

        try (RecordingHandler recorder = new RecordingHandler(db.jdbcUrl(), db.user(), db.password(), "survivor")) {
            fx.start(b -> b.name("survivor").threads(8).handler(RecordingHandler.KIND, recorder));
            Await.until("all tasks archived", Duration.ofSeconds(60),
                    () -> fx.count("SELECT count(*) FROM tq_task_archive") == TASKS);
            fx.close();
        }

        assertThat(fx.count("SELECT count(*) FROM tq_task")).isZero();
        assertThat(fx.count("SELECT count(*) FROM tq_task_archive WHERE outcome = 'succeeded'")).isEqualTo(TASKS);
        assertThat(fx.count("SELECT count(*) FROM tq_task_archive WHERE owner LIKE 'survivor-%' AND attempt = 2"))
                .as("the victim's tasks were re-run by the survivor as second attempts").isEqualTo(orphaned);
        assertThat(fx.count("SELECT count(*) FROM (SELECT task_id FROM test_execution GROUP BY task_id HAVING count(*) > 1) d"))
                .as("no task recorded twice: the victim died before recording its held tasks").isZero();
    }
}
