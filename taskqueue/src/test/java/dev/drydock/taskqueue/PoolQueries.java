package dev.drydock.taskqueue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Reads of tests whose database is their own server, reached through a pool (see {@code RestartablePostgres}). */
final class PoolQueries {
    private PoolQueries() {}

    /** Runs a query whose first column of the first row is a number, e.g. a count. */
    static long queryLong(DataSource pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
