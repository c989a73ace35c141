package dev.drydock.taskqueue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Await;
import java.io.IOException;
import java.sql.Connection;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A task enqueued in the JVM of a taskmaster that runs its kind, on the same data source, reaches it
 * without the database's notification. Each test starts a sleeping taskmaster (it polls and
 * heartbeats only every few minutes, so a task that runs within seconds was rung for) and stops the server process behind its LISTEN connection (SIGSTOP), so no notification
 * can reach it; a task enqueued as by another process shows that path is really cut.
 */
class LocalWakeTest extends QueueTest {

    private long stoppedListener;

    @BeforeEach
    void sleepingTaskmasterThatCannotHear() throws Exception {
        // a five-minute lease: its heartbeat, which also claims, comes only every 100 s
        fx.start(b -> b.pollInterval(QueueFixture.NEVER_POLLS).leaseDuration(Duration.ofMinutes(5)).handler("local", task -> TaskOutcome.success()));
        Await.until("the taskmaster to fall asleep", Duration.ofSeconds(10), () -> fx.count(QueueFixture.SLEEPERS) == 1);
        // the notification connection is the one holding the taskmaster's presence lock (class 'ddtp', V6)
        stoppedListener = fx.count("SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory'"
                + " AND l.classid = " + 0x64647470L + " AND l.objsubid = 2 AND l.granted AND a.datname = current_database()");
        signal("-STOP", stoppedListener);
    }

    @AfterEach
    void letItHearAgain() throws Exception {
        signal("-CONT", stoppedListener);
    }

    @Test
    void aTaskEnqueuedHereRunsThoughNoNotificationCanArrive() throws Exception {
        long fromElsewhere = fx.elsewhere.enqueue(TaskSpec.of("local", "{}"));
        Thread.sleep(1_000);
        assertThat(state(fromElsewhere)).as("a task only the notification could announce waits").isEqualTo(TaskState.QUEUED);

        long fromHere = fx.queue.enqueue(TaskSpec.of("local", "{}"));

        awaitSucceeded(fromHere);
        awaitSucceeded(fromElsewhere); // taken along by the same claim
    }

    @Test
    void aTaskEnqueuedInAJdbiTransactionRunsOnceItCommitsAndNotWhenItRollsBack() {
        Jdbi jdbi = Jdbi.create(fx.db.dataSource());
        long committed = jdbi.inTransaction(h -> fx.queue.enqueue(h, TaskSpec.of("local", "{}")));
        awaitSucceeded(committed);

        jdbi.useHandle(h -> {
            h.begin();
            fx.queue.enqueue(h, TaskSpec.of("local", "{\"rolled\": \"back\"}"));
            h.rollback();
        });
        assertThat(fx.count("SELECT count(*) FROM tq_task WHERE kind = 'local'")).isZero();
    }

    @Test
    void aTaskCommittedWhereTheQueueCannotSeeRunsAfterWakeTaskmasters() throws Exception {
        long id;
        try (Connection c = fx.db.connect()) {
            c.setAutoCommit(false);
            id = fx.queue.enqueue(c, TaskSpec.of("local", "{}"));
            c.commit();
        }
        Thread.sleep(1_000);
        assertThat(state(id)).as("the queue did not see the commit, and no notification arrives").isEqualTo(TaskState.QUEUED);

        fx.queue.wakeTaskmasters();

        awaitSucceeded(id);
    }

    private void awaitSucceeded(long id) {
        Await.until("task " + id + " to succeed", Duration.ofSeconds(5), () -> state(id) == TaskState.SUCCEEDED);
    }

    private TaskState state(long id) {
        return fx.queue.find(id).orElseThrow().state();
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).as("kill %s %s", signal, pid).isZero();
    }
}
