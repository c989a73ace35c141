package dev.drydock.core;

import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The planner's invariants as SQL over the tables (docs/planner.md), each returning what breaks
 * it in words, empty when it holds.
 */
final class PlannerInvariants {
    private PlannerInvariants() {}

    /**
     * Gangs partly active, blueprints over their limit, resources over their capacity (the queries
     * {@link GangInvariants} polls), each in words.
     */
    static List<String> limitsAndCapacities(TestDatabase db) {
        List<String> broken = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String query : List.of(GangInvariants.PARTLY_ACTIVE, GangInvariants.OVER_LIMIT, GangInvariants.OVER_CAPACITY)) {
                try (ResultSet rs = s.executeQuery(query)) {
                    while (rs.next()) {
                        broken.add(rs.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            broken.add("could not read the invariants: " + e.getMessage());
        }
        return broken;
    }

    /** Leases that are neither active nor ended, or ended without saying why. */
    static List<String> stuckLeases(TestDatabase db) {
        List<String> stuck = new ArrayList<>();
        long waiting = db.queryLong("SELECT count(*) FROM dd_lease WHERE status IN ('PENDING', 'ACQUIRED')");
        if (waiting > 0) {
            stuck.add(waiting + " lease(s) still waiting past their deadline");
        }
        long gangs = db.queryLong("SELECT count(*) FROM dd_gang WHERE status IN ('WAITING', 'RESERVED')");
        if (gangs > 0) {
            stuck.add(gangs + " gang(s) still waiting past their deadline");
        }
        long silent = db.queryLong("SELECT count(*) FROM dd_lease WHERE status = 'BROKEN' AND status_reason = ''");
        if (silent > 0) {
            stuck.add(silent + " broken lease(s) without a reason");
        }
        return stuck;
    }

    /**
     * Whether no lease waits, no resource is being built or destroyed, and no engine task is due
     * or running (the perpetual janitors and reapers aside).
     */
    static boolean quiet(TestDatabase db) {
        return db.queryLong("""
                SELECT (SELECT count(*) FROM dd_lease WHERE status IN ('PENDING', 'ACQUIRED', 'RELEASED', 'BROKEN'))
                     + (SELECT count(*) FROM dd_gang WHERE status IN ('WAITING', 'RESERVED'))
                     + (SELECT count(*) FROM dd_resource WHERE status IN ('PENDING', 'RELEASED', 'BROKEN'))
                     + (SELECT count(*) FROM tq_task WHERE kind NOT LIKE 'drydock.janitor%' AND kind NOT LIKE 'drydock.reap%'
                          AND (state = 'running' OR (state = 'queued' AND run_after <= now())))""") == 0;
    }

    /**
     * What a quiet blueprint's pool lacks: fewer idle, ready resources than {@code min(minReady,
     * limit − resources in use)}, or more than {@code minReady} that it built and no lease used.
     */
    static List<String> poolShortfall(TestDatabase db, String blueprint) {
        List<String> wrong = new ArrayList<>();
        String b = "(SELECT id FROM dd_blueprint WHERE name = '" + blueprint + "' AND deleted_at IS NULL)";
        long minReady = db.queryLong("SELECT coalesce(max(min_ready), 0) FROM dd_warm_pool WHERE blueprint_id = " + b);
        long limit = db.queryLong("SELECT resource_limit FROM dd_blueprint WHERE id = " + b);
        long inUse = db.queryLong("SELECT count(*) FROM dd_resource WHERE blueprint_id = " + b + " AND status = 'ACTIVE' AND active_leases > 0");
        long idle = db.queryLong("SELECT count(*) FROM dd_resource WHERE blueprint_id = " + b + " AND status = 'ACTIVE' AND active_leases = 0");
        long fresh = db.queryLong("SELECT count(*) FROM dd_resource WHERE blueprint_id = " + b
                + " AND status = 'ACTIVE' AND active_leases = 0 AND warm_pool_id IS NOT NULL AND idle_since = ready_at");
        long expected = Math.min(minReady, limit - inUse);
        if (idle < expected) {
            wrong.add(idle + " idle, ready, expected at least " + expected + " (minReady " + minReady + ", limit " + limit + ", "
                    + inUse + " in use); the planner last said: " + db.queryText(
                    "SELECT coalesce(string_agg(status_reason, ' | '), 'nothing') FROM dd_warm_pool WHERE blueprint_id = " + b));
        }
        if (fresh > minReady) {
            wrong.add(fresh + " built for the pool and never used, more than minReady " + minReady);
        }
        return wrong;
    }

    /**
     * What the FIFO rule forbids, between two readings of the gangs and the blueprints' holds
     * (each reading one statement, so one snapshot): a gang admitted on a blueprint while an older
     * gang waited there holding it in both readings. Returns the gangs so overtaken, in words, and
     * the new reading to compare the next one with.
     */
    static FifoReading fifo(TestDatabase db, FifoReading previous) {
        java.util.Map<Long, String> gangStatus = new java.util.HashMap<>();
        java.util.Map<Long, Long> gangFirst = new java.util.HashMap<>();
        java.util.Map<Long, java.util.Set<String>> gangBlueprints = new java.util.HashMap<>();
        java.util.Map<String, Long> holds = new java.util.HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT 'g', g.id, g.status, min(l.id), string_agg(DISTINCT a.name, ',')
                  FROM dd_gang g JOIN dd_lease l ON l.gang_id = g.id CROSS JOIN LATERAL unnest(l.allowed_blueprints) a(name)
                 WHERE g.status IN ('WAITING', 'RESERVED', 'ACTIVE') GROUP BY g.id, g.status
                UNION ALL
                SELECT 'b', 0, name, gang_hold_lease_id, '' FROM dd_blueprint WHERE gang_hold_lease_id IS NOT NULL""")) {
            while (rs.next()) {
                if (rs.getString(1).equals("g")) {
                    long id = rs.getLong(2);
                    gangStatus.put(id, rs.getString(3));
                    gangFirst.put(id, rs.getLong(4));
                    gangBlueprints.put(id, java.util.Set.of(rs.getString(5).split(",")));
                } else {
                    holds.put(rs.getString(3), rs.getLong(4));
                }
            }
        } catch (SQLException e) {
            return new FifoReading(previous.gangStatus(), previous.gangFirst(), previous.gangBlueprints(), previous.holds(),
                    List.of("could not read gangs: " + e.getMessage()));
        }
        List<String> overtaken = new ArrayList<>();
        holds.forEach((blueprint, holder) -> {
            if (!holder.equals(previous.holds().get(blueprint))) {
                return; // the hold must have stood since the previous reading
            }
            Optional<Long> older = gangFirst.entrySet().stream().filter(e -> e.getValue().equals(holder)).map(java.util.Map.Entry::getKey).findFirst();
            if (older.isEmpty() || !"WAITING".equals(gangStatus.get(older.get())) || !"WAITING".equals(previous.gangStatus().get(older.get()))) {
                return;
            }
            gangStatus.forEach((gang, status) -> {
                if (gangFirst.get(gang) > holder && gangBlueprints.get(gang).contains(blueprint) && !status.equals("WAITING")
                        && "WAITING".equals(previous.gangStatus().get(gang))) {
                    overtaken.add("gang " + gang + " was admitted on " + blueprint + " while older gang " + older.get() + " waited there");
                }
            });
        });
        return new FifoReading(gangStatus, gangFirst, gangBlueprints, holds, overtaken);
    }

    /** One reading of the gangs (status, first member, blueprints) and the blueprints' holds, and what it found overtaken. */
    record FifoReading(java.util.Map<Long, String> gangStatus, java.util.Map<Long, Long> gangFirst,
                       java.util.Map<Long, java.util.Set<String>> gangBlueprints, java.util.Map<String, Long> holds, List<String> overtaken) {
        static FifoReading none() {
            return new FifoReading(java.util.Map.of(), java.util.Map.of(), java.util.Map.of(), java.util.Map.of(), List.of());
        }
    }
}
