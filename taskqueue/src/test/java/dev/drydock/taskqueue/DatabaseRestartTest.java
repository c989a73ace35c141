package dev.drydock.taskqueue;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.testing.Await;
import dev.drydock.testing.RestartablePostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The database is restarted under a running taskmaster: it carries on by itself, losing nothing. */
class DatabaseRestartTest {

    @Test
    void taskmasterResumesAfterTheDatabaseRestartsAndNoTaskIsLost() throws Exception {
        try (RestartablePostgres server = new RestartablePostgres(); HikariDataSource pool = server.pool()) {
            TaskQueueSchema.migrate(pool);
            TaskQueue queue = TaskQueue.builder(pool).build();
            AtomicInteger runs = new AtomicInteger();
            try (Taskmaster taskmaster = Taskmaster.builder(pool).threads(4).pollInterval(Duration.ofMillis(200))
                    .handler("slow", task -> {
                        runs.incrementAndGet();
                        sleep(20);
                        return TaskOutcome.success();
                    }).build().start()) {
                queue.enqueueAll(specs(200));
                Await.until("some tasks to finish", Duration.ofSeconds(30), () -> count(pool, "tq_task_archive") >= 20);

                server.stop();
                int runsWhenStopped = runs.get();
                Thread.sleep(1_500); // the database stays down a while: handlers finish, outcomes wait in memory
                server.start();

                queue.enqueueAll(specs(200));
                Await.until("all 400 tasks archived", Duration.ofSeconds(60), () -> count(pool, "tq_task_archive") == 400);
                assertThat(runs.get()).isGreaterThan(runsWhenStopped);
                // the last archive row commits a moment before the dispatcher reads the statement's
                // answer and counts it (CI once read 399 here; the taskmaster stopped with 400)
                Await.until("the taskmaster to count 400 successes", Duration.ofSeconds(10),
                        () -> taskmaster.metrics().succeeded() == 400);
                assertThat(taskmaster.metrics().lost()).isZero();
            }
            assertThat(count(pool, "tq_task")).isZero();
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM tq_task_archive WHERE outcome = 'succeeded'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(400);
            }
        }
    }

    private static List<TaskSpec> specs(int n) {
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            specs.add(TaskSpec.of("slow", "{}"));
        }
        return specs;
    }

    private static long count(HikariDataSource pool, String table) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1; // the database is still coming back
        }
    }


    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
