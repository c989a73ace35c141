package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Await;
import dev.drydock.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the killed-daemon tests read from the database and a daemon's log, and the release they do through the CLI. */
final class Rows {
    private Rows() {}

    /** The first column of every row {@code sql} returns, as text. */
    static List<String> strings(TestDatabase db, String sql) {
        try (Connection c = db.queryConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new AssertionError("query failed: " + sql, e);
        }
    }

    /**
     * Waits until row {@code id} of {@code table} (dd_lease, dd_resource) has {@code status}, read in
     * SQL; the test then checks once what the CLI shows. Asking the CLI at every poll cost a command's
     * whole session (a pool, a login, the schema check) many times a second.
     */
    static void awaitStatus(TestDatabase db, String table, long id, String status, Duration timeout) {
        Await.until(table + " " + id + " " + status, timeout,
                () -> db.queryText("SELECT status FROM " + table + " WHERE id = " + id).equals(status));
    }

    /** Releases every ACTIVE lease with {@code release} (the leases were requested through {@code cli}, which holds their tokens). */
    static void releaseActiveLeases(TestDatabase db, Cli cli) {
        List<String> active = strings(db, "SELECT id::text FROM dd_lease WHERE status = 'ACTIVE' ORDER BY id");
        if (!active.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("release"));
            args.addAll(active);
            Cli.Result released = cli.run(args.toArray(String[]::new));
            assertThat(released.exitCode()).as(released.stderr()).isZero();
        }
    }

    /** Every lease and resource row in a line each, then the last 40 lines of the daemon's {@code log}: where a wait stood when it timed out. */
    static String state(TestDatabase db, String resourceAttributes, Path log) {
        StringBuilder out = new StringBuilder();
        strings(db, "SELECT 'lease ' || id || ' ' || status || ': ' || status_reason FROM dd_lease ORDER BY id").forEach(l -> out.append(l).append('\n'));
        strings(db, "SELECT 'resource ' || id || ' ' || status || ' ' || " + resourceAttributes + " || ': ' || status_reason"
                + " FROM dd_resource ORDER BY id").forEach(l -> out.append(l).append('\n'));
        try {
            List<String> lines = Files.readAllLines(log);
            out.append("daemon log ").append(log).append(":\n");
            lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> out.append("  ").append(l).append('\n'));
        } catch (IOException | RuntimeException e) {
            out.append("(no daemon log: ").append(e).append(")\n");
        }
        return out.toString();
    }
}
