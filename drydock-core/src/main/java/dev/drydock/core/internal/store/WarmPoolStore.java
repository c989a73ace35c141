package dev.drydock.core.internal.store;

import dev.drydock.core.internal.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Warm pools (migration V17): a blueprint's settings of how many idle, ready resources to keep, the
 * planner's last verdict on each, and the reads the planner evaluates them from.
 */
public final class WarmPoolStore {
    private static final String COLUMNS = """
            p.id, p.blueprint_id, p.attributes::text, p.min_ready, p.max_ready_ms, p.status_reason, p.failures, p.next_build_at, now()""";

    private WarmPoolStore() {}

    /**
     * Sets a pool's expectation, creating it if the blueprint has no pool for these attributes; the
     * planner's backoff starts over. Returns the pool's id.
     */
    public static long set(Handle h, long blueprintId, Map<String, String> attributes, int minReady, Optional<Duration> maxReadyAge) {
        return h.createQuery("""
                        INSERT INTO dd_warm_pool (blueprint_id, attributes, min_ready, max_ready_ms)
                        VALUES (:b, :a::jsonb, :min, :max)
                        ON CONFLICT (blueprint_id, attributes) DO UPDATE
                           SET min_ready = EXCLUDED.min_ready, max_ready_ms = EXCLUDED.max_ready_ms, failures = 0,
                               next_build_at = NULL, updated_at = now()
                        RETURNING id""")
                .bind("b", blueprintId).bind("a", Json.write(attributes)).bind("min", minReady)
                .bind("max", maxReadyAge.map(Duration::toMillis).orElse(null))
                .mapTo(Long.class).one();
    }

    /** The blueprint's pools, most specific (most attributes) first, then by id. */
    public static List<WarmPoolRow> ofBlueprint(Handle h, long blueprintId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM dd_warm_pool p WHERE p.blueprint_id = :b ORDER BY p.id")
                .bind("b", blueprintId).map(WarmPoolStore::map).list().stream()
                .sorted(java.util.Comparator.comparingInt((WarmPoolRow p) -> -p.attributes().size()).thenComparingLong(WarmPoolRow::id))
                .toList();
    }

    /** Every pool that expects something, in blueprint then id order (a few rows: for status views). */
    public static List<WarmPoolRow> all(Handle h) {
        return h.createQuery("SELECT " + COLUMNS + """
                         FROM dd_warm_pool p WHERE (p.min_ready > 0 OR p.max_ready_ms IS NOT NULL)
                          AND EXISTS (SELECT 1 FROM dd_blueprint b WHERE b.id = p.blueprint_id AND b.deleted_at IS NULL)
                        ORDER BY p.blueprint_id, p.id""")
                .map(WarmPoolStore::map).list();
    }

    /** The pool resource {@code resourceId} is being (or was) built for, if it was built warm and not adopted. */
    public static Optional<WarmPoolRow> poolOf(Handle h, long resourceId) {
        return h.createQuery("SELECT " + COLUMNS + """
                         FROM dd_warm_pool p JOIN dd_resource r ON r.warm_pool_id = p.id WHERE r.id = :r""")
                .bind("r", resourceId).map(WarmPoolStore::map).findOne();
    }

    /** Records the planner's verdict, unless it is the one already recorded. */
    public static void setReason(Handle h, long poolId, String reason) {
        h.createUpdate("UPDATE dd_warm_pool SET status_reason = :r, updated_at = now() WHERE id = :id AND status_reason <> :r")
                .bind("r", reason).bind("id", poolId).execute();
    }

    /** A warm build broke: one more in a row, and no warm build for the pool before {@code backoff} has passed. */
    public static void buildBroke(Handle h, long poolId, Duration backoff) {
        h.createUpdate("""
                        UPDATE dd_warm_pool SET failures = failures + 1, next_build_at = now() + :ms * interval '1 millisecond'
                        WHERE id = :id""")
                .bind("ms", backoff.toMillis()).bind("id", poolId).execute();
    }

    /** A warm build succeeded: the run of failures, and its backoff, ended. */
    public static void buildSucceeded(Handle h, long poolId) {
        h.createUpdate("UPDATE dd_warm_pool SET failures = 0, next_build_at = NULL WHERE id = :id AND (failures > 0 OR next_build_at IS NOT NULL)")
                .bind("id", poolId).execute();
    }

    /** Marks resource {@code resourceId}, just inserted, as built for pool {@code poolId}. */
    public static void markWarm(Handle h, long resourceId, long poolId) {
        h.createUpdate("UPDATE dd_resource SET warm_pool_id = :p WHERE id = :id").bind("p", poolId).bind("id", resourceId).execute();
    }

    /**
     * The blueprint's idle, ready resources: ACTIVE, no lease on them, and not just built for a
     * lease that has yet to take it (that one is the lease's). {@code fresh}: built warm and never
     * leased since.
     */
    public static List<IdleResource> idle(Handle h, long blueprintId) {
        return h.createQuery("""
                        SELECT r.id, r.warm_pool_id, coalesce(r.ready_at, r.idle_since, r.created_at),
                               (r.warm_pool_id IS NOT NULL AND r.idle_since IS NOT DISTINCT FROM r.ready_at)
                          FROM dd_resource r
                         WHERE r.blueprint_id = :b AND r.status = 'ACTIVE' AND r.active_leases = 0
                           AND NOT EXISTS (SELECT 1 FROM dd_lease l WHERE l.building_resource_id = r.id AND l.status = 'PENDING')
                         ORDER BY r.id""")
                .bind("b", blueprintId)
                .map((rs, ctx) -> new IdleResource(rs.getLong(1), optionalLong(rs, 2), rs.getTimestamp(3).toInstant(), rs.getBoolean(4)))
                .list();
    }

    /** Warm builds in flight per pool of the blueprint: PENDING resources built for a pool and not adopted. */
    public static Map<Long, Integer> building(Handle h, long blueprintId) {
        return h.createQuery("""
                        SELECT warm_pool_id, count(*)::int FROM dd_resource
                         WHERE blueprint_id = :b AND warm_pool_id IS NOT NULL AND status = 'PENDING' GROUP BY warm_pool_id""")
                .bind("b", blueprintId).setMapKeyColumn("warm_pool_id").setMapValueColumn("count")
                .collectInto(new org.jdbi.v3.core.generic.GenericType<Map<Long, Integer>>() {});
    }

    /**
     * A lease with no room takes over the oldest warm build in flight of one of {@code poolIds}
     * (it will be the lease's, not the pool's); empty when there is none free to take.
     */
    public static Optional<Adopted> adoptBuild(Handle h, List<Long> poolIds) {
        Optional<Adopted> adopted = h.createQuery("""
                        UPDATE dd_resource SET warm_pool_id = NULL
                         WHERE id = (SELECT id FROM dd_resource WHERE warm_pool_id = ANY (:pools) AND status = 'PENDING'
                                      ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                        RETURNING id, blueprint_id""")
                .bind("pools", poolIds.toArray(Long[]::new)).map((rs, ctx) -> new Adopted(rs.getLong(1), rs.getLong(2))).findOne();
        adopted.ifPresent(a -> EventLog.resource(h, a.resourceId(), a.blueprintId(), "resource " + a.resourceId()
                + " PENDING: a warm build taken over by a lease"));
        return adopted;
    }

    /** A warm build a lease took over. */
    public record Adopted(long resourceId, long blueprintId) {}

    /** The pools of blueprints {@code blueprintIds} (a few rows; none for a blueprint without a pool). */
    public static List<WarmPoolRow> ofBlueprints(Handle h, java.util.Collection<Long> blueprintIds) {
        return h.createQuery("SELECT " + COLUMNS + " FROM dd_warm_pool p WHERE p.blueprint_id = ANY (:b) ORDER BY p.id")
                .bind("b", blueprintIds.toArray(Long[]::new)).map(WarmPoolStore::map).list();
    }

    /** The median time the blueprint's last five builds took, from insert to ready; empty before its first. */
    public static Optional<Duration> recentBuildTime(Handle h, long blueprintId) {
        return h.createQuery("""
                        SELECT (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ready_at - created_at)) * 1000)::bigint
                          FROM (SELECT ready_at, created_at FROM dd_resource WHERE blueprint_id = :b AND ready_at IS NOT NULL
                                 ORDER BY id DESC LIMIT 5) recent""")
                .bind("b", blueprintId).mapTo(Long.class).findOne().map(Duration::ofMillis);
    }

    /** An idle resource as the planner counts it. */
    public record IdleResource(long id, Optional<Long> warmPoolId, Instant readyAt, boolean fresh) {}

    /**
     * A pool: its expectation, the planner's last verdict, and its build backoff. {@code now} is the
     * database's clock when it was read, to compare ages and backoffs on.
     */
    public record WarmPoolRow(long id, long blueprintId, Map<String, String> attributes, int minReady, Optional<Duration> maxReadyAge,
                              String statusReason, int failures, Optional<Instant> nextBuildAt, Instant now) {
        public WarmPoolRow {
            attributes = Map.copyOf(attributes);
        }

        /** Whether the planner may start a warm build now (no backoff pending). */
        public boolean mayBuild() {
            return nextBuildAt.isEmpty() || !nextBuildAt.get().isAfter(now);
        }
    }

    private static WarmPoolRow map(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        long maxMs = rs.getLong(5);
        Optional<Duration> maxAge = rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(maxMs));
        Timestamp next = rs.getTimestamp(8);
        return new WarmPoolRow(rs.getLong(1), rs.getLong(2), Json.stringMap(rs.getString(3)), rs.getInt(4), maxAge, rs.getString(6),
                rs.getInt(7), Optional.ofNullable(next).map(Timestamp::toInstant), rs.getTimestamp(9).toInstant());
    }

    private static Optional<Long> optionalLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }
}
