package dev.drydock.taskqueue;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Creates and upgrades the queue's tables ({@code tq_*}) in the data source's current schema.
 * Safe to call from every process at start-up: concurrent migrations serialise on {@link SchemaLock},
 * and the queue keeps its own history table so other modules' migrations can share the schema.
 */
public final class TaskQueueSchema {
    /** The newest migration under {@code dev/drydock/taskqueue/migration} (a test keeps the two in step). */
    public static final String VERSION = "6";

    private TaskQueueSchema() {}

    /** Whether the queue's tables are at {@link #VERSION}: one query, no migration work (see {@link SchemaHistory}). */
    public static boolean isCurrent(Connection connection) {
        return SchemaHistory.isAt(connection, "tq_schema_history", VERSION);
    }

    /**
     * Brings the queue's tables to {@link #VERSION}. Does nothing more than one query when they are
     * current; otherwise migrates under {@link SchemaLock}, so concurrent first starts serialise.
     */
    public static void migrate(DataSource dataSource) {
        try {
            if (isCurrent(dataSource)) {
                return;
            }
            SchemaLock.whileHeld(dataSource, () -> {
                if (!isCurrent(dataSource)) {
                    flyway(dataSource);
                }
            });
        } catch (SQLException e) {
            throw new TaskQueueException("could not migrate the task queue schema: " + e.getMessage(), e);
        }
    }

    private static boolean isCurrent(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return isCurrent(connection);
        }
    }

    private static void flyway(DataSource dataSource) {
        try {
            Flyway.configure(TaskQueueSchema.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:dev/drydock/taskqueue/migration")
                    .table("tq_schema_history")
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new TaskQueueException("could not migrate the task queue schema: " + e.getMessage(), e);
        }
    }
}
