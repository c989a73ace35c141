package dev.drydock.taskqueue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One migration of Drydock's schema at a time across every process: a PostgreSQL session advisory
 * lock held on a connection of its own while the work runs. Flyway locks only while it applies
 * migrations, not while it creates or baselines its history table, so two first starts that race
 * could both try to create it; under this lock the second waits, sees the schema current and does
 * nothing. Re-entrant within a thread, so the engine's migration can include the queue's.
 */
public final class SchemaLock {
    /** The advisory lock's key: "drydock" in ASCII, constant across versions so old and new processes agree. */
    static final long KEY = 0x0064_7279_646f_636bL;
    private static final ThreadLocal<Boolean> HELD = ThreadLocal.withInitial(() -> false);

    private SchemaLock() {}

    /** The work that runs under the lock. */
    @FunctionalInterface
    public interface Work {
        void run() throws SQLException;
    }

    /**
     * Runs {@code work} while this thread holds the lock, waiting for another process's migration to
     * finish first. Needs a second connection from {@code dataSource} if the work opens its own.
     */
    public static void whileHeld(DataSource dataSource, Work work) throws SQLException {
        if (HELD.get()) {
            work.run();
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            call(connection, "select pg_advisory_lock(?)");
            HELD.set(true);
            try {
                work.run();
            } finally {
                HELD.set(false);
                // the connection goes back to a pool, where its session lives on: unlock explicitly
                call(connection, "select pg_advisory_unlock(?)");
            }
        }
    }

    private static void call(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, KEY);
            statement.execute();
        }
    }
}
