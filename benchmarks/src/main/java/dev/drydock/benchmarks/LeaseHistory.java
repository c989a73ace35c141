package dev.drydock.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * What a long-lived installation accumulates, written in bulk with SQL: the resources and leases of
 * a second blueprint that serves another resource type ({@value #RESOURCE_TYPE}), so none of it can
 * serve the benchmark's leases. Its resources are 99 % DESTROYED (one built every five minutes over
 * about a year) and 1 % ACTIVE and full (capacity 1, each holding one ACTIVE lease); its leases are
 * DESTROYED, each on one of the destroyed resources, as the engine leaves them after clean-up.
 */
final class LeaseHistory {
    static final String BLUEPRINT = "bench-history";
    static final String RESOURCE_TYPE = "bench-vm";

    private final DataSource dataSource;
    private long blueprintId = -1;
    /** History resources created so far; numbers the next ones (every 100th, from the 50th, is ACTIVE). */
    private long resourcesMade;

    LeaseHistory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** All rows of dd_resource and dd_lease, whoever made them. */
    record Counts(long resources, long leases) {}

    Counts counts() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM dd_resource), (SELECT count(*) FROM dd_lease)")) {
            rs.next();
            return new Counts(rs.getLong(1), rs.getLong(2));
        }
    }

    /**
     * Adds history until dd_resource holds {@code totalResources} rows and {@code destroyedLeases}
     * more DESTROYED leases exist, then VACUUM ANALYZE as autovacuum would have done by then.
     */
    void grow(long totalResources, long destroyedLeases) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            if (blueprintId < 0) {
                blueprintId = insertBlueprint(c);
            }
            long missing = totalResources - countResources(c);
            if (missing > 0) {
                insertResources(c, missing);
                insertActiveLeases(c);
                syncBlueprintCount(c);
            }
            if (destroyedLeases > 0) {
                insertDestroyedLeases(c, destroyedLeases);
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE dd_resource");
                s.execute("VACUUM ANALYZE dd_lease");
                s.execute("VACUUM ANALYZE dd_blueprint");
            }
        }
    }

    /**
     * Removes the history again: used on a server given with --db, which outlives the run. Deleting
     * a resource makes PostgreSQL check that no lease refers to it, and dd_lease has no index on
     * resource_id or building_resource_id that covers DESTROYED leases, so each check would scan
     * the table; two indexes made for the clean-up, in its transaction, keep it to seconds.
     */
    void remove() throws SQLException {
        if (blueprintId < 0) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            update(c, "DELETE FROM dd_lease WHERE resource_id IN (SELECT id FROM dd_resource WHERE blueprint_id = ?)", blueprintId);
            update(c, "CREATE INDEX dd_bench_cleanup_resource ON dd_lease (resource_id)");
            update(c, "CREATE INDEX dd_bench_cleanup_building ON dd_lease (building_resource_id)");
            update(c, "DELETE FROM dd_resource WHERE blueprint_id = ?", blueprintId);
            update(c, "DELETE FROM dd_blueprint WHERE id = ?", blueprintId);
            update(c, "DROP INDEX dd_bench_cleanup_resource");
            update(c, "DROP INDEX dd_bench_cleanup_building");
            c.commit();
        }
    }

    /** The first history resource that is ACTIVE (holding one lease), for a page that shows one. */
    long firstActiveResource() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT min(id) FROM dd_resource WHERE blueprint_id = ? AND status = 'ACTIVE'")) {
            s.setLong(1, blueprintId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long insertBlueprint(Connection c) throws SQLException {
        // A blueprint type this installation's taskmasters do not run (served elsewhere); nothing
        // looks blueprints up except by resource type or id, so it is only ever seen as history.
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO dd_blueprint (name, type, resource_type, config, resource_limit, resource_count, enabled, created_at)
                VALUES (?, 'bench-cloud-vm', ?, '{"region": "bench-1", "size": "small"}', 0, 0, true, now() - interval '1 year')
                RETURNING id""")) {
            s.setString(1, BLUEPRINT + "-" + Long.toString(System.currentTimeMillis(), 36));
            s.setString(2, RESOURCE_TYPE);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long countResources(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM dd_resource")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void insertResources(Connection c, long count) throws SQLException {
        long first = resourcesMade + 1;
        long last = resourcesMade + count;
        // g numbers history resources; the oldest was made a year ago, one every five minutes.
        update(c, """
                INSERT INTO dd_resource (blueprint_id, resource_type, status, status_reason, capacity, active_leases,
                                         attributes, idle_since, created_at, updated_at, version)
                SELECT ?, ?,
                       CASE WHEN g % 100 = 50 THEN 'ACTIVE' ELSE 'DESTROYED' END,
                       CASE WHEN g % 100 = 50 THEN 'built and ready' ELSE 'destroyed' END,
                       1,
                       CASE WHEN g % 100 = 50 THEN 1 ELSE 0 END,
                       jsonb_build_object('instance', 'vm-' || g, 'drydock.allocated', 'true'),
                       NULL,
                       now() - interval '1 year' + make_interval(secs => g * 300),
                       now() - interval '1 year' + make_interval(secs => g * 300 + 3600),
                       CASE WHEN g % 100 = 50 THEN 1 ELSE 3 END
                FROM generate_series(?::bigint, ?::bigint) g""", blueprintId, RESOURCE_TYPE, first, last);
        resourcesMade = last;
    }

    /** One ACTIVE lease on every ACTIVE history resource that has none: they are full (capacity 1). */
    private void insertActiveLeases(Connection c) throws SQLException {
        update(c, """
                INSERT INTO dd_lease (owner_token, resource_type, status, status_reason, resource_id, acquire_deadline,
                                      created_at, activated_at, updated_at, version)
                SELECT md5('active' || r.id) || left(md5('token' || r.id), 16), r.resource_type, 'ACTIVE',
                       'active on resource ' || r.id, r.id, r.created_at + interval '10 minutes',
                       r.created_at, r.created_at + interval '2 seconds', r.created_at + interval '2 seconds', 2
                FROM dd_resource r
                WHERE r.blueprint_id = ? AND r.status = 'ACTIVE'
                  AND NOT EXISTS (SELECT 1 FROM dd_lease l WHERE l.resource_id = r.id
                                  AND l.status IN ('ACQUIRED', 'ACTIVE', 'RELEASED'))""", blueprintId);
    }

    private void syncBlueprintCount(Connection c) throws SQLException {
        update(c, """
                UPDATE dd_blueprint b SET resource_count = n, resource_limit = greatest(resource_limit, n)
                FROM (SELECT count(*)::int AS n FROM dd_resource WHERE blueprint_id = ? AND status <> 'DESTROYED') live
                WHERE b.id = ?""", blueprintId, blueprintId);
    }

    /**
     * {@code count} DESTROYED leases spread over the destroyed history resources (about ten each at
     * 100k resources), as clean-up leaves them: released by the holder, resource id kept.
     */
    private void insertDestroyedLeases(Connection c, long count) throws SQLException {
        update(c, """
                WITH r AS (SELECT id, created_at, row_number() OVER (ORDER BY id) - 1 AS n
                           FROM dd_resource WHERE blueprint_id = ? AND status = 'DESTROYED'),
                     k AS (SELECT count(*) AS k FROM r)
                INSERT INTO dd_lease (owner_token, resource_type, attributes, allowed_blueprints, status, status_reason,
                                      resource_id, lease_attributes, acquire_deadline, waits, created_at, activated_at,
                                      released_at, updated_at, version)
                SELECT md5(g::text) || left(md5('token' || g), 16), ?, '{}', '{}', 'DESTROYED',
                       'released: released by its holder; cleaned up on resource ' || r.id,
                       r.id, '{}', r.created_at + make_interval(secs => g % 240) + interval '10 minutes', 0,
                       r.created_at + make_interval(secs => g % 240),
                       r.created_at + make_interval(secs => g % 240 + 2),
                       r.created_at + make_interval(secs => g % 240 + 1800),
                       r.created_at + make_interval(secs => g % 240 + 1801),
                       4
                FROM generate_series(0::bigint, ?::bigint - 1) g
                JOIN r ON r.n = g % (SELECT k FROM k)""", blueprintId, RESOURCE_TYPE, count);
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s.executeUpdate();
        }
    }
}
