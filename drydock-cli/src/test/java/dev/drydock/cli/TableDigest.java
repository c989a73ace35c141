package dev.drydock.cli;

import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A digest of every row of every table in the database's public schema: two equal digests mean
 * nothing was written in between (sequences aside, which a refused insert may advance). The log
 * lines that record an operator opening a lease's interface are left out: that access is recorded
 * before the operation is tried, and stays recorded when the operation is refused. Also the rows
 * themselves as text, for a search of everything stored.
 */
final class TableDigest {
    private TableDigest() {}

    static Map<String, String> of(TestDatabase db) {
        try (Connection c = db.queryConnection(); Statement s = c.createStatement()) {
            List<String> parts = new ArrayList<>();
            for (String table : tables(s)) {
                String audit = table.equals("dd_log") ? " WHERE t.message NOT LIKE '% interface opened by operator %'" : "";
                parts.add("SELECT '" + table + "', count(*) || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                        + " FROM \"" + table + "\" t" + audit);
            }
            Map<String, String> digest = new TreeMap<>();
            if (parts.isEmpty()) {
                return digest;
            }
            // one statement for all tables: a round trip per table, twice per case, was most of a refusal test's time
            try (ResultSet rs = s.executeQuery(String.join(" UNION ALL ", parts))) {
                while (rs.next()) {
                    digest.put(rs.getString(1), rs.getString(2));
                }
            }
            return digest;
        } catch (SQLException e) {
            throw new AssertionError("could not read the test database", e);
        }
    }

    /**
     * Every row of every table as text ({@code t::text}, one row a line), by table: what a test that
     * searches all that is stored for a secret reads.
     */
    static Map<String, String> rowsAsText(TestDatabase db) {
        try (Connection c = db.queryConnection(); Statement s = c.createStatement()) {
            Map<String, String> rows = new TreeMap<>();
            for (String table : tables(s)) {
                StringBuilder text = new StringBuilder();
                try (ResultSet rs = s.executeQuery("SELECT t::text FROM \"" + table + "\" t")) {
                    while (rs.next()) {
                        text.append(rs.getString(1)).append('\n');
                    }
                }
                rows.put(table, text.toString());
            }
            return rows;
        } catch (SQLException e) {
            throw new AssertionError("could not read the test database", e);
        }
    }

    private static List<String> tables(Statement s) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }
}
