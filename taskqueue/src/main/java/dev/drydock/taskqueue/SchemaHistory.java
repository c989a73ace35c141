package dev.drydock.taskqueue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Whether a Flyway history table says its schema is at a given version, read with one query on the
 * table's primary key: so that a program that starts against a current schema (every CLI command)
 * does no migration work. Flyway itself scans its migrations and validates every applied one's
 * checksum on each {@code migrate()}, which costs more than a short command's real work.
 */
public final class SchemaHistory {
    private SchemaHistory() {}

    /**
     * True when the newest row of {@code table} (a Flyway history table in the connection's schema)
     * is a successful migration to {@code version}; false when it is anything else, and when the table
     * cannot be read (not created yet): then the caller migrates, and Flyway says what is wrong.
     */
    public static boolean isAt(Connection connection, String table, String version) {
        return newest(connection, table).filter(v -> v.equals(version)).isPresent();
    }

    /** The version of the newest row of {@code table} if it is a successful migration; empty otherwise, or if it cannot be read. */
    public static Optional<String> newest(Connection connection, String table) {
        if (!table.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a history table name: " + table);
        }
        try (PreparedStatement query = connection.prepareStatement(
                "select version, success from " + table + " order by installed_rank desc limit 1");
             ResultSet row = query.executeQuery()) {
            return row.next() && row.getBoolean(2) ? Optional.ofNullable(row.getString(1)) : Optional.empty();
        } catch (SQLException notThereOrUnreadable) {
            return Optional.empty();
        }
    }
}
