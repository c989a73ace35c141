package dev.drydock.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The server's own account of a measured phase, from pg_stat_statements when the database has it
 * (-Dbench.statements=true): counters reset when the phase starts, then the statements that took
 * the most time, with their mean execution and planning times. Means are wall-clock inside the
 * server, so on a busy machine they include waiting for a core.
 */
final class StatementStats {
    private static final int TOP = 10;
    private final HikariDataSource pool;
    private final boolean available;

    StatementStats(HikariDataSource pool, boolean wanted) throws SQLException {
        this.pool = pool;
        this.available = wanted && installed(pool);
    }

    void reset() throws SQLException {
        if (available) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_stat_statements_reset()");
            }
        }
    }

    void print(long leases) throws SQLException {
        if (!available) {
            return;
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT calls, total_exec_time + total_plan_time, mean_exec_time, total_plan_time / calls,
                       left(regexp_replace(query, '\\s+', ' ', 'g'), 90)
                FROM pg_stat_statements WHERE calls > 0 AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                ORDER BY 2 DESC LIMIT\s""" + TOP)) {
            System.out.println("  statements in the phase (pg_stat_statements): calls, ms per lease, mean exec ms, mean plan ms, text");
            while (rs.next()) {
                System.out.printf(Locale.ROOT, "    %7d %6.3f %7.3f %6.3f  %s%n", rs.getLong(1), rs.getDouble(2) / leases, rs.getDouble(3),
                        rs.getDouble(4), rs.getString(5));
            }
        }
    }

    private static boolean installed(HikariDataSource pool) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }
}
