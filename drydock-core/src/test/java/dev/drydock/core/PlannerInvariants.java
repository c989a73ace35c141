package dev.drydock.core;

import dev.drydock.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;

/**
 * The planner's invariants as SQL over the tables (docs/planner.md), each returning what breaks
 * it in words, empty when it holds.
 */
final class PlannerInvariants {
    private PlannerInvariants() {}

    /** Places in each blueprint's limit and leases on each resource, against their bounds. */
    static List<String> limitsAndCapacities(TestDatabase db) {
        List<String> broken = new ArrayList<>();
        long overLimit = db.queryLong("""
                SELECT count(*) FROM dd_blueprint b
                 WHERE b.resource_count > b.resource_limit
                    OR (SELECT count(*) FROM dd_resource r WHERE r.blueprint_id = b.id AND r.status <> 'DESTROYED') > b.resource_limit""");
        if (overLimit > 0) {
            broken.add(overLimit + " blueprint(s) over their limit");
        }
        long overCapacity = db.queryLong("""
                SELECT count(*) FROM dd_resource r
                 WHERE r.active_leases > r.capacity
                    OR (SELECT count(*) FROM dd_lease l WHERE l.resource_id = r.id AND l.status IN ('ACQUIRED', 'ACTIVE')) > r.capacity""");
        if (overCapacity > 0) {
            broken.add(overCapacity + " resource(s) over their capacity");
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
