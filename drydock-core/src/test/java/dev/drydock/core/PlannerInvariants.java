package dev.drydock.core;

import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

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
                    + inUse + " in use)");
        }
        if (fresh > minReady) {
            wrong.add(fresh + " built for the pool and never used, more than minReady " + minReady);
        }
        return wrong;
    }
}
