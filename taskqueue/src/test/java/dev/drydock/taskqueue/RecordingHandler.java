package dev.drydock.taskqueue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A handler that sleeps as its payload says ({@code {"sleepMs": n, "key": "k"}}) and records each
 * execution (task, key, worker, start and end by the machine clock) in {@code test_execution}, so
 * a test can check from the database's own rows how often and when each task ran.
 */
final class RecordingHandler implements TaskHandler, AutoCloseable {
    static final String KIND = "record";
    private static final Pattern SLEEP = Pattern.compile("\"sleepMs\"\\s*:\\s*(\\d+)");
    private static final Pattern KEY = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]*)\"");

    private final HikariDataSource pool;
    private final String worker;

    RecordingHandler(String jdbcUrl, String user, String password, String worker) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(8);
        config.setPoolName("recorder-" + worker);
        this.pool = new HikariDataSource(config);
        this.worker = worker;
    }

    static void createTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS test_execution (
                      task_id bigint NOT NULL, serial_key text, worker text NOT NULL,
                      started_at timestamptz NOT NULL, finished_at timestamptz NOT NULL)""");
        }
    }

    static String payload(long sleepMs, String key) {
        return key == null ? "{\"sleepMs\": " + sleepMs + "}" : "{\"sleepMs\": " + sleepMs + ", \"key\": \"" + key + "\"}";
    }

    @Override
    public TaskOutcome handle(Task task) {
        Instant started = Instant.now();
        Matcher sleep = SLEEP.matcher(task.payload());
        long sleepMs = sleep.find() ? Long.parseLong(sleep.group(1)) : 0;
        if (sleepMs > 0) {
            try {
                Thread.sleep(sleepMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return TaskOutcome.retry("interrupted");
            }
        }
        Instant finished = Instant.now();
        Matcher key = KEY.matcher(task.payload());
        try (Connection c = pool.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO test_execution VALUES (?, ?, ?, ?, ?)")) {
            s.setLong(1, task.id());
            s.setString(2, key.find() ? key.group(1) : null);
            s.setString(3, worker);
            s.setTimestamp(4, Timestamp.from(started));
            s.setTimestamp(5, Timestamp.from(finished));
            s.executeUpdate();
        } catch (SQLException e) {
            return TaskOutcome.retry("could not record execution: " + e.getMessage());
        }
        return TaskOutcome.success();
    }

    @Override
    public void close() {
        pool.close();
    }
}
