package dev.drydock.taskqueue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Await;
import dev.drydock.testing.JavaProcess;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A taskmaster JVM dies or freezes while it holds tasks. Killed (SIGKILL), its sessions end and
 * another taskmaster re-runs its tasks within seconds, long before its 30-s lease would have run
 * out. Frozen (SIGSTOP), its sessions stay open: its tasks stay its own until its (shorter) lease
 * runs out, then another takes them.
 */
@ExtendWith(PostgresExtension.class)
class KilledTaskmasterTest {
    private static final int TASKS = 40;
    /** The frozen victim's lease: it can run out two thirds of it (5 s) after the freeze, at the earliest. */
    private static final Duration FROZEN_LEASE = Duration.ofMillis(7_500);
    /** How long the frozen victim's tasks are watched staying its own: three times a killed one's take-over (about 1 s). */
    private static final Duration STILL_HELD = Duration.ofSeconds(3);
    private static final String VICTIM_HOLDS = "SELECT count(*) FROM tq_task WHERE state = 'running' AND owner LIKE 'victim-%'";

    @TempDir
    static Path temp;

    private final TestDatabase db;
    private final QueueFixture fx;
    private RecordingHandler recorder;

    KilledTaskmasterTest(TestDatabase db) throws Exception {
        this.db = db;
        this.fx = new QueueFixture(db);
        try (Connection c = db.connect()) {
            RecordingHandler.createTable(c);
        }
    }

    @BeforeEach
    void emptyQueue() {
        fx.execute("TRUNCATE tq_task, tq_task_archive, tq_taskmaster, test_execution");
        recorder = new RecordingHandler(db.jdbcUrl(), db.user(), db.password(), "survivor");
    }

    @AfterEach
    void stop() {
        fx.close();
        recorder.close();
    }

    @Test
    void tasksHeldByAKilledTaskmasterAreRerunWithinSecondsExactlyOnce() throws Exception {
        enqueue(400);
        Process victim = startVictim(30_000);
        Instant killedAt;
        try {
            Await.until("the victim to hold tasks", Duration.ofSeconds(60), () -> fx.count(VICTIM_HOLDS) == 4);
        } finally {
            victim.destroyForcibly(); // SIGKILL: no shutdown hook, no hand-back
            killedAt = Instant.now();
            victim.waitFor();
        }
        long orphaned = fx.count(VICTIM_HOLDS);
        assertThat(orphaned).as("tasks the victim held when it died").isPositive();

        // started after the death, as a restarted process would be: it still sees the victim's presence gone
        fx.start(b -> b.name("survivor").threads(8).handler(RecordingHandler.KIND, recorder));
        Await.until("the victim's tasks to run again, well within their 30-s lease", Duration.ofSeconds(10),
                () -> fx.count("SELECT count(*) FROM tq_task_archive WHERE owner LIKE 'survivor-%' AND attempt = 2") == orphaned);
        Duration rerun = Duration.between(killedAt, Instant.now());
        Await.until("all tasks archived", Duration.ofSeconds(60), () -> fx.count("SELECT count(*) FROM tq_task_archive") == TASKS);
        fx.close();

        System.out.printf("killed taskmaster's %d task(s) re-run and finished %d ms after SIGKILL (lease 30000 ms)%n",
                orphaned, rerun.toMillis());
        assertThat(fx.count("SELECT count(*) FROM tq_task")).isZero();
        assertThat(fx.count("SELECT count(*) FROM tq_task_archive WHERE outcome = 'succeeded'")).isEqualTo(TASKS);
        assertThat(fx.count("SELECT count(*) FROM tq_taskmaster WHERE id LIKE 'victim-%'")).as("the victim forgotten").isZero();
        assertThat(fx.count("SELECT count(*) FROM (SELECT task_id FROM test_execution GROUP BY task_id HAVING count(*) > 1) d"))
                .as("no task recorded twice: the victim died before recording its held tasks").isZero();
    }

    @Test
    void tasksHeldByAFrozenTaskmasterStayItsUntilTheirLeaseRunsOut() throws Exception {
        enqueue(3_000);
        fx.start(b -> b.name("survivor").threads(2).handler(RecordingHandler.KIND, recorder));
        Process victim = startVictim(FROZEN_LEASE.toMillis());
        try {
            Await.until("the victim to hold tasks", Duration.ofSeconds(60), () -> fx.count(VICTIM_HOLDS) == 4);
            signal(victim, "STOP");
            Instant frozenAt = Instant.now();
            long held = fx.count(VICTIM_HOLDS);
            // Long after a killed taskmaster's tasks would have been taken (see above), and before
            // the earliest moment the lease can run out (two thirds of it after the last heartbeat).
            while (Duration.between(frozenAt, Instant.now()).compareTo(STILL_HELD) < 0) {
                assertThat(fx.count(VICTIM_HOLDS)).as("tasks the frozen victim still holds").isEqualTo(held);
                Thread.sleep(100); // not waiting for a change: checking that none happens for a while
            }
            Await.until("the frozen victim's tasks to be taken by the survivor once their lease ran out", Duration.ofSeconds(60),
                    () -> fx.count(VICTIM_HOLDS) == 0);
            assertThat(fx.count("SELECT count(*) FROM tq_task WHERE state = 'running' AND owner LIKE 'survivor-%' AND attempt = 2")
                    + fx.count("SELECT count(*) FROM tq_task_archive WHERE owner LIKE 'survivor-%' AND attempt = 2"))
                    .as("the frozen victim's tasks, run again by the survivor").isEqualTo(held);
        } finally {
            victim.destroyForcibly();
            victim.waitFor();
        }
    }

    private void enqueue(long sleepMs) {
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            specs.add(TaskSpec.of(RecordingHandler.KIND, RecordingHandler.payload(sleepMs, null)));
        }
        fx.queue.enqueueAll(specs);
    }

    private Process startVictim(long leaseMs) throws IOException {
        Path log = Files.createTempFile(temp, "victim", ".log");
        return JavaProcess.start(WorkerMain.class, log, List.of(db.jdbcUrl(), db.user(), db.password().isEmpty() ? "-" : db.password(),
                "victim", "4", Long.toString(leaseMs), "no-prefetch")); // without claiming ahead it holds exactly its 4 running tasks
    }

    private static void signal(Process process, String signal) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        assertThat(exit).as("kill -%s %d", signal, process.pid()).isZero();
    }
}
