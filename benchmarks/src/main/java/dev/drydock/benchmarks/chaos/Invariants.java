package dev.drydock.benchmarks.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * What must hold once a chaos run has drained (every lease released, every resource destroyed,
 * the taskmasters stopped): each check reads the database or the disk and returns what it found
 * wrong, empty when it holds.
 */
final class Invariants {
    /** One check: its name and what it found wrong. */
    record Check(String name, List<String> problems) {
        boolean holds() {
            return problems.isEmpty();
        }
    }

    private final DataSource db;

    Invariants(DataSource db) {
        this.db = db;
    }

    List<Check> check(List<LeaseRecord> records, Path root) throws SQLException {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("no lease stuck: every lease DESTROYED", rows(
                "SELECT 'lease ' || id || ' is ' || status || ': ' || status_reason FROM dd_lease WHERE status <> 'DESTROYED'")));
        checks.add(new Check("every lease a client got exists once", missingOrDuplicated(records)));
        checks.add(new Check("every resource DESTROYED", rows(
                "SELECT 'resource ' || id || ' is ' || status || ': ' || status_reason FROM dd_resource WHERE status <> 'DESTROYED'")));
        checks.add(new Check("counters match rows", rows("""
                SELECT 'resource ' || r.id || ' counts ' || r.active_leases || ' leases, rows say ' || count(l.id)
                FROM dd_resource r LEFT JOIN dd_lease l ON l.resource_id = r.id AND l.status IN ('ACQUIRED', 'ACTIVE', 'RELEASED', 'BROKEN')
                GROUP BY r.id HAVING r.active_leases <> count(l.id)
                UNION ALL
                SELECT 'blueprint ' || b.name || ' counts ' || b.resource_count || ' resources, rows say ' || count(r.id)
                FROM dd_blueprint b LEFT JOIN dd_resource r ON r.blueprint_id = b.id AND r.status <> 'DESTROYED'
                GROUP BY b.id HAVING b.resource_count <> count(r.id)""")));
        checks.add(new Check("no slot lock left", rows("SELECT 'slot lock ' || lock_key || ' is still held' FROM dd_slot_lock")));
        checks.add(new Check("no task running, none given up", rows("""
                SELECT 'task ' || id || ' (' || kind || ') still running under ' || owner FROM tq_task WHERE state = 'running'
                UNION ALL
                SELECT 'task ' || id || ' (' || kind || ') failed: ' || coalesce(last_error, '') FROM tq_task_archive WHERE outcome = 'failed'""")));
        checks.add(new Check("no directory left on disk", leftovers(root)));
        return checks;
    }

    private List<String> missingOrDuplicated(List<LeaseRecord> records) throws SQLException {
        List<String> problems = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        records.stream().filter(r -> !seen.add(r.id())).forEach(r -> problems.add("lease " + r.id() + " was handed to two clients"));
        Set<Long> rows = new HashSet<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM dd_lease")) {
            while (rs.next()) {
                rows.add(rs.getLong(1));
            }
        }
        seen.stream().filter(id -> !rows.contains(id)).forEach(id -> problems.add("lease " + id + " is gone from the database"));
        return problems;
    }

    private static List<String> leftovers(Path root) {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.map(p -> p + " is left").toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    private List<String> rows(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
