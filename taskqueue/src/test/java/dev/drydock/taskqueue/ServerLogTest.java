package dev.drydock.taskqueue;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.testing.Await;
import dev.drydock.testing.ClassPostgres;
import dev.drydock.testing.RestartablePostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Races the queue expects and recovers from leave no ERROR in the PostgreSQL server's log, read
 * from the log file of a server of the test's own: operators watch that log, and an ERROR there
 * should mean something went wrong.
 */
class ServerLogTest {
    private static final List<String> QUEUE_CONSTRAINTS = List.of("tq_task_running_key", "tq_task_dedupe");
    /** The class's server: each test reads only the log it wrote, and counts only the tasks of its own kinds. */
    @RegisterExtension
    static final ClassPostgres SERVER = new ClassPostgres();

    @BeforeAll
    static void queueSchema() {
        TaskQueueSchema.migrate(SERVER.pool());
    }

    @Test
    void claimsRacingForSerializationKeysLogNoErrors() throws Exception {
        RestartablePostgres server = SERVER.server();
        HikariDataSource pool = SERVER.pool();
        long logStart = Files.size(server.serverLog());
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            specs.add(TaskSpec.builder("keyed").payload("{}").serialKey("key-" + i % 6).build());
        }
        TaskQueue.builder(pool).build().enqueueAll(specs);
        List<Taskmaster> taskmasters = new ArrayList<>();
        List<HikariDataSource> pools = new ArrayList<>();
        try {
            // a pool per taskmaster: the restartable server's pool holds only 8 connections
            for (int i = 0; i < 6; i++) {
                pools.add(server.pool());
                taskmasters.add(Taskmaster.builder(pools.getLast()).threads(4).pollInterval(Duration.ofMillis(20))
                        .handler("keyed", task -> TaskOutcome.success()).build().start());
            }
            Await.until("3000 keyed tasks archived", Duration.ofSeconds(120),
                    () -> count(pool, "tq_task_archive WHERE kind = 'keyed'") == 3_000);
        } finally {
            taskmasters.forEach(Taskmaster::close);
            pools.forEach(HikariDataSource::close);
        }
        assertThat(queueErrors(server, logStart)).as("ERROR lines about the queue's constraints in the server log").isEmpty();
    }

    @Test
    void aRequeueMeetingATwinEnqueuedMeanwhileCoalescesAndLogsNoError() throws Exception {
        RestartablePostgres server = SERVER.server();
        HikariDataSource pool = SERVER.pool();
        TaskQueue queue = TaskQueue.builder(pool).build();
        long logStart = Files.size(server.serverLog());
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch twinInserted = new CountDownLatch(1);
        long first = queue.enqueue(TaskSpec.builder("flaky").payload("{}").dedupeKey("report").build());
        try (Taskmaster taskmaster = Taskmaster.builder(pool).threads(1).handler("flaky", task -> {
            running.countDown();
            awaitLatch(twinInserted);
            return TaskOutcome.retry("flaky as designed");
        }).build().start(); Connection enqueuer = pool.getConnection()) {
            assertThat(running.await(30, TimeUnit.SECONDS)).as("the first task started").isTrue();
            // The twin's insert is not committed yet: the requeue cannot see it, and waits on its
            // index entry until it commits, then finds the key taken.
            enqueuer.setAutoCommit(false);
            long twin = queue.enqueue(enqueuer, TaskSpec.builder("flaky").payload("{}").dedupeKey("report")
                    .delay(Duration.ofHours(1)).build());
            twinInserted.countDown();
            Await.until("the requeue to wait for the twin's commit", Duration.ofSeconds(30), () -> count(pool, """
                    pg_stat_activity WHERE wait_event_type = 'Lock'
                      AND (query LIKE '%tq_requeue%' OR query LIKE '%SET state = ''queued''%')""") > 0);
            enqueuer.commit();
            TaskInfo original = Await.value("the first task to coalesce into its twin", Duration.ofSeconds(30),
                    () -> queue.find(first).filter(t -> t.state().isFinal()).orElse(null));
            assertThat(original.state()).isEqualTo(TaskState.CANCELLED);
            assertThat(original.lastError()).hasValueSatisfying(error -> assertThat(error).contains("coalesced into queued task " + twin));
            assertThat(queue.find(twin).orElseThrow().state()).isEqualTo(TaskState.QUEUED);
        }
        assertThat(queueErrors(server, logStart)).as("ERROR lines about the queue's constraints in the server log").isEmpty();
    }

    /** The server's ERROR lines since {@code offset} that name one of the queue's unique constraints. */
    private static List<String> queueErrors(RestartablePostgres server, long offset) throws IOException {
        byte[] all = Files.readAllBytes(server.serverLog());
        String since = new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
        return since.lines().filter(line -> line.contains("ERROR") && QUEUE_CONSTRAINTS.stream().anyMatch(line::contains)).toList();
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long count(HikariDataSource pool, String from) {
        try {
            return PoolQueries.queryLong(pool, "SELECT count(*) FROM " + from);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
