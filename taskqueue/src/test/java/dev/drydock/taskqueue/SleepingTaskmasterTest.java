package dev.drydock.taskqueue;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.testing.Await;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * An enqueue notifies only while some taskmaster sleeps; an awake one claims again by itself, and
 * one falling asleep waits for every enqueue that skipped its notification to commit. Every
 * taskmaster here polls every five minutes, so a task that is not claimed within seconds was missed.
 * The sleepers are read from pg_locks, the database's own record of who holds the sleepers' lock.
 * Tasks are enqueued as by another process, which only the database can wake them for.
 */
class SleepingTaskmasterTest extends QueueTest {

    @Test
    void anEnqueueNotifiesOnlyWhileATaskmasterSleepsUnlessItsTaskIsDueLater() throws Exception {
        try (Listener listener = new Listener()) {
            // nobody runs tasks yet, so nobody sleeps: the three ways to enqueue due tasks stay silent
            fx.elsewhere.enqueue(TaskSpec.of("nap-quiet", "{}"));
            fx.elsewhere.enqueueAll(List.of(TaskSpec.of("nap-quiet", "{}"), TaskSpec.of("nap-quiet", "{}")));
            enqueueInStatement("nap-quiet");
            assertThat(listener.received(Duration.ofMillis(300))).as("notifications while nobody sleeps").isEmpty();

            long dueLater = fx.elsewhere.enqueue(TaskSpec.builder("nap-quiet").delay(Duration.ofMinutes(1)).build());
            assertThat(listener.received(1, Duration.ofSeconds(5))).as("a task due later is always announced, with its due time")
                    .singleElement().satisfies(due -> assertThat(Long.parseLong(due)).isGreaterThan(System.currentTimeMillis() + 50_000));

            fx.start(b -> b.pollInterval(QueueFixture.NEVER_POLLS).handler("nap-quiet", task -> TaskOutcome.success()));
            Await.until("the four due tasks to run and the taskmaster to fall asleep", Duration.ofSeconds(10),
                    () -> fx.count("SELECT count(*) FROM tq_task_archive WHERE kind = 'nap-quiet'") == 4 && fx.count(QueueFixture.SLEEPERS) == 1);
            listener.received(Duration.ofMillis(100));

            long woken = fx.elsewhere.enqueue(TaskSpec.of("nap-quiet", "{}"));
            assertThat(listener.received(1, Duration.ofSeconds(5))).as("a due task while the taskmaster sleeps").hasSize(1);
            assertThat(fx.awaitFinal(woken).state()).isEqualTo(TaskState.SUCCEEDED);
            assertThat(fx.queue.find(dueLater).orElseThrow().state()).isEqualTo(TaskState.QUEUED);
        }
    }

    @Test
    void anEnqueueThatFoundNobodyAsleepIsClaimedAsSoonAsItCommitsThoughTheTaskmasterFellAsleepMeanwhile() throws Exception {
        try (Listener listener = new Listener(); Connection tx = fx.db.connect()) {
            tx.setAutoCommit(false);
            try (PreparedStatement s = tx.prepareStatement("SELECT tq_enqueue('nap-settle', '{}', 0, 0, 3, 100, 1000, NULL, NULL)")) {
                s.executeQuery().close(); // nobody sleeps: no notification, and the enqueue stays in flight until the commit
            }
            fx.start(b -> b.pollInterval(QueueFixture.NEVER_POLLS).handler("nap-settle", task -> TaskOutcome.success()));
            Await.until("the taskmaster to take the sleepers' lock", Duration.ofSeconds(10), () -> fx.count(QueueFixture.SLEEPERS) == 1);
            Thread.sleep(500); // it keeps checking for the open enqueue meanwhile, never blocking on it

            tx.commit();

            Await.until("the task committed after the taskmaster began to sleep to run", Duration.ofSeconds(5),
                    () -> fx.count("SELECT count(*) FROM tq_task_archive WHERE kind = 'nap-settle' AND outcome = 'succeeded'") == 1);
            assertThat(listener.received(Duration.ofMillis(100))).as("the enqueue never notified").isEmpty();
        }
    }

    @Test
    void aSleepingTaskmasterWhoseSessionIsKilledStillRunsTasksEnqueuedWhileNobodySlept() {
        fx.start(b -> b.pollInterval(QueueFixture.NEVER_POLLS).handler("nap-killed", task -> TaskOutcome.success()));
        Await.until("the taskmaster to fall asleep", Duration.ofSeconds(10), () -> fx.count(QueueFixture.SLEEPERS) == 1);

        fx.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = 1684305009 AND objid = 2"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        Await.until("the killed session's lock to go", Duration.ofSeconds(5), () -> fx.count(QueueFixture.SLEEPERS) == 0);
        long id = fx.elsewhere.enqueue(TaskSpec.of("nap-killed", "{}")); // nobody sleeps now: no notification

        Await.until("the task to run once the taskmaster noticed its session died", Duration.ofSeconds(5),
                () -> fx.queue.find(id).map(t -> t.state() == TaskState.SUCCEEDED).orElse(false));
        Await.until("the taskmaster to sleep again on its new session", Duration.ofSeconds(5), () -> fx.count(QueueFixture.SLEEPERS) == 1);
    }

    @Test
    void enqueuesRacingATaskmasterThatKeepsFallingAsleepAndWakingAreAllClaimedPromptly() throws Exception {
        int threads = 6;
        int rounds = 120;
        Set<Long> ran = ConcurrentHashMap.newKeySet();
        fx.start(b -> b.threads(4).pollInterval(QueueFixture.NEVER_POLLS).handler("nap-race", task -> {
            ran.add(task.id());
            return TaskOutcome.success();
        }));
        Await.until("the taskmaster to fall asleep", Duration.ofSeconds(10), () -> fx.count(QueueFixture.SLEEPERS) == 1);
        int notifications;
        // another process's pool: its enqueues keep the rhythm below rather than waiting for a login each
        try (HikariDataSource otherProcess = otherProcessPool(threads); Listener listener = new Listener()) {
            TaskQueue elsewhere = TaskQueue.builder(otherProcess).build();
            ExecutorService enqueuers = Executors.newFixedThreadPool(threads);
            List<Future<Integer>> enqueued = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                enqueued.add(enqueuers.submit(() -> {
                    int count = 0;
                    for (int i = 0; i < rounds; i++) {
                        // pauses around the taskmaster's own rhythm (2 ms between looks while awake), so
                        // that enqueues meet it awake, falling asleep, asleep and waking
                        Thread.sleep(ThreadLocalRandom.current().nextInt(6));
                        switch (i % 3) {
                            case 0 -> elsewhere.enqueue(TaskSpec.of("nap-race", "{}"));
                            case 1 -> elsewhere.enqueueAll(List.of(TaskSpec.of("nap-race", "{}"), TaskSpec.of("nap-race", "{}")));
                            default -> enqueueInStatement("nap-race");
                        }
                        count += i % 3 == 1 ? 2 : 1;
                    }
                    return count;
                }));
            }
            int total = 0;
            for (Future<Integer> f : enqueued) {
                total += f.get();
            }
            enqueuers.shutdown();
            int expected = total;

            Await.until(expected + " tasks to run", Duration.ofSeconds(20), () -> ran.size() == expected);
            notifications = listener.received(Duration.ofMillis(200)).size();
            assertThat(fx.count("SELECT count(*) FROM tq_task WHERE kind = 'nap-race'")).isZero();
            assertThat(fx.count("SELECT count(*) FROM tq_task_archive WHERE kind = 'nap-race' AND outcome = 'succeeded'")).isEqualTo(expected);
            assertThat(notifications).as("some enqueues found the taskmaster asleep and woke it, and some found it awake and did not")
                    .isPositive().isLessThan(expected);
        }
    }

    /** A pool of {@code size} connections of its own, as another process enqueuing would have. */
    private HikariDataSource otherProcessPool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(fx.db.jdbcUrl());
        config.setUsername(fx.db.user());
        config.setPassword(fx.db.password());
        config.setMaximumPoolSize(size);
        config.setPoolName("other-process");
        return new HikariDataSource(config);
    }

    private void enqueueInStatement(String kind) {
        SqlEnqueue task = SqlEnqueue.of(kind, "json_build_object('n', n)");
        Jdbi.create(fx.db.dataSource()).withHandle(h -> h.createQuery(
                        "WITH s AS (SELECT 1 AS n), q AS (" + task.insertFrom("s") + ") SELECT " + SqlEnqueue.wakeFor("q") + " IS NOT NULL")
                .mapTo(Boolean.class).one());
    }

    /** A connection listening on the queue's channel, as a taskmaster's does. */
    private final class Listener implements AutoCloseable {
        private final Connection connection;

        Listener() throws SQLException {
            connection = fx.db.connect();
            try (Statement s = connection.createStatement()) {
                s.execute("LISTEN drydock_taskqueue");
            }
        }

        /** The payloads that arrive within {@code wait}. */
        List<String> received(Duration wait) throws SQLException {
            return received(Integer.MAX_VALUE, wait);
        }

        /** The payloads that arrive within {@code wait}, returning early once there are {@code enough}. */
        List<String> received(int enough, Duration wait) throws SQLException {
            List<String> payloads = new ArrayList<>();
            long deadline = System.nanoTime() + wait.toNanos();
            for (long left = wait.toMillis(); left > 0 && payloads.size() < enough; left = (deadline - System.nanoTime()) / 1_000_000) {
                PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications((int) left);
                if (notifications != null) {
                    for (PGNotification n : notifications) {
                        payloads.add(n.getParameter());
                    }
                }
            }
            return payloads;
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }
}
