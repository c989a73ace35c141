package dev.drydock.taskqueue;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Creates and upgrades the queue's tables ({@code tq_*}) in the data source's current schema.
 * Safe to call from every process at start-up: Flyway serialises concurrent migrations with a lock,
 * and the queue keeps its own history table so other modules' migrations can share the schema.
 */
public final class TaskQueueSchema {
    /** The newest migration under {@code dev/drydock/taskqueue/migration} (a test keeps the two in step). */
    public static final String VERSION = "5";

    private TaskQueueSchema() {}

    /** Whether the queue's tables are at {@link #VERSION}: one query, no migration work (see {@link SchemaHistory}). */
    public static boolean isCurrent(Connection connection) {
        return SchemaHistory.isAt(connection, "tq_schema_history", VERSION);
    }

    public static void migrate(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            if (isCurrent(connection)) {
                return;
            }
        } catch (SQLException e) {
            throw new TaskQueueException("could not migrate the task queue schema: " + e.getMessage(), e);
        }
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
