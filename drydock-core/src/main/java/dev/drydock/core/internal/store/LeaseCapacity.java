package dev.drydock.core.internal.store;

import dev.drydock.api.LeaseStatus;
import dev.drydock.core.internal.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The two lease transitions that change a resource's lease count: PENDING -> ACQUIRED takes a slot,
 * the clean-up to DESTROYED gives it back. The count lives on the resource row, which every lease
 * on that resource updates, so each is one statement run on its own (autocommit): the row lock is
 * then held only while the server executes and commits it, never across a round trip to a client
 * that a busy machine may not schedule for milliseconds (held across one, 16 clients waited 12 ms
 * on average for it). Being one statement, the count still changes atomically with the leases'
 * statuses and log rows, as every transition must.
 *
 * <p>Both take a batch of leases (a taskmaster's batch of lease updates; one lease is a batch of
 * one). Lease rows are locked first, then resource rows in id order, in every statement that
 * locks both, so two batches can never wait on each other in a cycle.
 */
public final class LeaseCapacity {
    private LeaseCapacity() {}

    /** What {@link #take} came to for one lease. */
    public sealed interface Taken {
        /** The lease is ACQUIRED on the resource, as it now stands. */
        record OnResource(ResourceRow resource) implements Taken {}

        /** The resource was full or no longer active; nothing changed. */
        record Full() implements Taken {}

        /** The lease was no longer PENDING (released meanwhile); nothing changed. */
        record LeaseMoved() implements Taken {}
    }

    /** A PENDING lease to put on a resource, and the reason its log row and status give. */
    public record Placement(long leaseId, long resourceId, String reason) {}

    /**
     * PENDING -> ACQUIRED on {@code resourceId}, taking one of its lease slots. The lease row is
     * locked first, as in every other transition, so a release racing with this either lands first
     * (and nothing is taken) or waits for it.
     */
    public static Taken take(Handle h, long leaseId, long resourceId, String reason) {
        return takeAll(h, List.of(new Placement(leaseId, resourceId, reason))).get(0);
    }

    /**
     * {@link #take} for several leases (each at most once) in one statement; results in the order
     * of {@code placements}. A resource takes all of the batch's leases placed on it or none (then
     * each of them is {@link Taken.Full}), so a batch never half-fills a resource it misjudged.
     */
    public static List<Taken> takeAll(Handle h, List<Placement> placements) {
        requireOwnTransaction(h);
        Map<String, Object> values = new HashMap<>();
        values.put("attributes", placements.stream().map(p -> "{}").toArray(String[]::new));
        return taken(h, TAKE_ALL, values, placements);
    }

    static final NamedSql TAKE_ALL = NamedSql.of(takeStatement("""
                    UPDATE dd_lease SET status = 'ACQUIRED', status_reason = p.reason, updated_at = now(), version = version + 1,
                                        resource_id = p.resource_id, building_resource_id = NULL""",
            "INSERT INTO dd_log (lease_id, resource_id, message) SELECT id, resource_id, 'lease ' || id || ' PENDING -> ACQUIRED: ' || reason"
                    + " FROM t ORDER BY id",
            "NULL"));

    /**
     * A PENDING lease to put on a resource and make ACTIVE at once ({@link #takeAndActivateAll}),
     * with what its blueprint's acquireLease recorded for it, run before the share was taken.
     */
    public record Activated(Placement placement, Map<String, String> leaseAttributes, List<String> logLines) {}

    /**
     * {@link #takeAll}, and the leases that took their share go on to ACTIVE in the same statement,
     * with both transitions' log rows (and the lines their blueprint recorded in between) and the
     * notification their holders wait for. For blueprints that acquire leases ahead
     * ({@code BlueprintImplementation.acquiresLeasesAhead}).
     */
    public static List<Taken> takeAndActivateAll(Handle h, List<Activated> leases) {
        requireOwnTransaction(h);
        TransitionLog log = new TransitionLog();
        for (Activated a : leases) {
            long id = a.placement().leaseId();
            List<String> lines = new ArrayList<>();
            lines.add("lease " + id + " PENDING -> ACQUIRED: " + a.placement().reason());
            lines.addAll(a.logLines());
            log.add(id, lines, "lease " + id + " ACQUIRED -> ACTIVE: active on resource " + a.placement().resourceId());
        }
        Map<String, Object> values = new HashMap<>();
        log.putInto(values);
        values.put("attributes", leases.stream().map(a -> Json.write(a.leaseAttributes())).toArray(String[]::new));
        return taken(h, TAKE_AND_ACTIVATE, values, leases.stream().map(Activated::placement).toList());
    }

    static final NamedSql TAKE_AND_ACTIVATE = NamedSql.of(takeStatement("""
                    UPDATE dd_lease SET status = 'ACTIVE', status_reason = 'active on resource ' || p.resource_id, updated_at = now(),
                                        version = version + 2, resource_id = p.resource_id, building_resource_id = NULL,
                                        lease_attributes = lease_attributes || p.attributes::jsonb""" + LeaseStore.ACTIVE_SETS,
            TransitionLog.insertFor("t"),
            "(SELECT pg_notify('" + LeaseStore.CHANNEL + "', t.id || ':ACTIVE') FROM t WHERE t.id = p.lease_id)"));

    /**
     * The statement of {@link #takeAll} and {@link #takeAndActivateAll}: locks the PENDING leases,
     * then their resources in id order, takes each resource's share for all of its leases or none,
     * and runs {@code leaseUpdate} (SET clauses over {@code p}) and {@code logInsert} (over the moved
     * leases {@code t}); each row of the result also holds {@code extra}.
     */
    private static String takeStatement(String leaseUpdate, String logInsert, String extra) {
        return """
                WITH p AS (SELECT * FROM\s""" + BatchArrays.unnest("leases::bigint", "resources::bigint", "reasons::text", "attributes::text") + """
                         AS p(lease_id, resource_id, reason, attributes)),
                l AS (SELECT id FROM dd_lease WHERE id IN (SELECT lease_id FROM p) AND status = 'PENDING' ORDER BY id FOR UPDATE),
                want AS (SELECT p.resource_id, count(*) AS n FROM p JOIN l ON l.id = p.lease_id GROUP BY p.resource_id),
                locked AS (SELECT id FROM dd_resource WHERE id IN (SELECT resource_id FROM want) ORDER BY id FOR UPDATE),
                r AS (UPDATE dd_resource SET active_leases = active_leases + want.n, idle_since = NULL
                      FROM want JOIN locked ON locked.id = want.resource_id
                      WHERE dd_resource.id = want.resource_id AND status = 'ACTIVE' AND active_leases + want.n <= capacity
                      RETURNING\s""" + ResourceStore.COLUMNS.qualified("dd_resource") + """
                ),
                t AS (""" + leaseUpdate + """

                      FROM p WHERE dd_lease.id = p.lease_id AND p.lease_id IN (SELECT id FROM l) AND p.resource_id IN (SELECT id FROM r)
                      RETURNING dd_lease.id, dd_lease.resource_id, p.reason),
                g AS (""" + logInsert + """
                )
                SELECT p.lease_id, l.id IS NOT NULL, r.*,\s""" + extra
                + " FROM p LEFT JOIN l ON l.id = p.lease_id LEFT JOIN r ON r.id = p.resource_id";
    }

    /** Where the resource's columns start in a {@link #takeStatement}'s result: after the lease id and its flag. */
    static final int TAKEN_RESOURCE = 3;

    /** Runs a {@link #takeStatement} for the placements (and {@code values}) and reads what became of each, in their order. */
    private static List<Taken> taken(Handle h, NamedSql statement, Map<String, Object> values, List<Placement> placements) {
        // every batch runs it: JDBC directly (see Jdbc)
        record Row(long leaseId, Taken taken) {}
        values.put("leases", placements.stream().map(Placement::leaseId).toArray(Long[]::new));
        values.put("resources", placements.stream().map(Placement::resourceId).toArray(Long[]::new));
        values.put("reasons", placements.stream().map(Placement::reason).toArray(String[]::new));
        // the result's columns: p.lease_id, whether the lease was still pending, then r.* (the resource's COLUMNS)
        List<Row> rows = Jdbc.query(h, statement, values, rs -> {
            long leaseId = rs.getLong(1);
            if (!rs.getBoolean(2)) {
                return new Row(leaseId, new Taken.LeaseMoved());
            }
            return new Row(leaseId, ResourceStore.mapIfPresent(rs, TAKEN_RESOURCE).<Taken>map(Taken.OnResource::new).orElseGet(Taken.Full::new));
        });
        Map<Long, Taken> byLease = new HashMap<>();
        rows.forEach(row -> byLease.put(row.leaseId(), row.taken()));
        return placements.stream().map(p -> byLease.get(p.leaseId())).toList();
    }

    /** A RELEASED or BROKEN lease to clean up, with what its blueprint recorded while cleaning up. */
    public record Return(long leaseId, LeaseStatus from, String reason, Map<String, String> leaseAttributes, List<String> logLines) {
        public Return {
            if (!from.canMoveTo(LeaseStatus.DESTROYED)) {
                throw new IllegalStateException("lease " + leaseId + ": no transition " + from + " -> DESTROYED");
            }
        }
    }

    /**
     * {@code from} (RELEASED or BROKEN) -> DESTROYED for each of {@code returns}, in one statement,
     * giving each lease's slot back to its resource (no notification: a holder's wait ended at
     * RELEASED or BROKEN), with what the blueprint recorded while cleaning up (lease attributes and
     * log lines, written before the transition's own line; {@code resourceAttributes} by resource
     * id), freeing the exclusive slots each took ({@link SlotLocks}: a port, say), and finding up to
     * {@code waitersToWake} leases of {@code resourceTypes} waiting for room. A lease no longer in its
     * {@code from} is left as it is.
     */
    public static GivenBack giveBack(Handle h, List<Return> returns, Map<Long, Map<String, String>> resourceAttributes,
                                     List<String> resourceTypes, int waitersToWake) {
        requireOwnTransaction(h);
        TransitionLog log = new TransitionLog();
        returns.forEach(r -> log.add(r.leaseId(), r.logLines(), "lease " + r.leaseId() + " " + r.from() + " -> DESTROYED: " + r.reason()));
        record Row(long leaseId, long resourceId, int left, List<Long> waiting) {}
        // every batch runs it: JDBC directly (see Jdbc)
        Map<String, Object> values = new HashMap<>();
        log.putInto(values);
        values.put("leases", returns.stream().map(Return::leaseId).toArray(Long[]::new));
        values.put("froms", returns.stream().map(r -> r.from().name()).toArray(String[]::new));
        values.put("reasons", returns.stream().map(Return::reason).toArray(String[]::new));
        values.put("leaseAttributes", returns.stream().map(r -> Json.write(r.leaseAttributes())).toArray(String[]::new));
        values.put("attributeResources", resourceAttributes.keySet().toArray(Long[]::new));
        values.put("attributes", resourceAttributes.keySet().stream().map(id -> Json.write(resourceAttributes.get(id))).toArray(String[]::new));
        values.put("types", resourceTypes.stream().distinct().toArray(String[]::new));
        values.put("wake", waitersToWake);
        List<Row> rows = Jdbc.query(h, GIVE_BACK, values,
                rs -> new Row(rs.getLong(1), rs.getLong(2), rs.getInt(3), List.of((Long[]) rs.getArray(4).getArray())));
        Map<Long, Integer> left = new HashMap<>();
        rows.forEach(row -> left.put(row.resourceId(), row.left()));
        return new GivenBack(rows.stream().map(Row::leaseId).toList(), Map.copyOf(left),
                rows.isEmpty() ? List.of() : rows.get(0).waiting());
    }

    private static final NamedSql GIVE_BACK = NamedSql.of("""
            WITH c AS (SELECT * FROM\s""" + BatchArrays.unnest("leases::bigint", "froms::text", "reasons::text", "leaseAttributes::text") + """
                                AS c(lease_id, from_status, reason, attributes)),
            t AS (UPDATE dd_lease SET status = 'DESTROYED', status_reason = c.reason, updated_at = now(), version = version + 1,
                                      lease_attributes = lease_attributes || c.attributes::jsonb
                  FROM c WHERE dd_lease.id = c.lease_id AND dd_lease.status = c.from_status AND dd_lease.resource_id IS NOT NULL
                  RETURNING dd_lease.id, dd_lease.resource_id),
            g AS (""" + TransitionLog.insertFor("t") + """
            ),
            s AS (DELETE FROM dd_slot_lock WHERE owner_lease_id IN (SELECT id FROM t) RETURNING owner_lease_id),
            sw AS (SELECT coalesce(array_agg(l.id ORDER BY l.id), '{}') AS ids FROM dd_lease l
                   WHERE l.status = 'ACQUIRED' AND l.resource_id IN (SELECT t.resource_id FROM t JOIN s ON s.owner_lease_id = t.id)),
            n AS (SELECT resource_id, count(*) AS n FROM t GROUP BY resource_id),
            locked AS (SELECT id FROM dd_resource WHERE id IN (SELECT resource_id FROM n) ORDER BY id FOR UPDATE),
            a AS (SELECT * FROM\s""" + BatchArrays.unnest("attributeResources::bigint", "attributes::text") + """
                     AS a(resource_id, attributes)),
            r AS (UPDATE dd_resource SET active_leases = active_leases - n.n,
                                         idle_since = CASE WHEN active_leases = n.n THEN now() ELSE idle_since END,
                                         attributes = attributes
                                                      || coalesce((SELECT a.attributes::jsonb FROM a WHERE a.resource_id = n.resource_id), '{}')
                  FROM n JOIN locked ON locked.id = n.resource_id WHERE dd_resource.id = n.resource_id
                  RETURNING dd_resource.id, dd_resource.active_leases),
            w AS (SELECT coalesce(array_agg(o.id ORDER BY o.id), '{}') AS ids
                  FROM\s""" + BatchArrays.unnest("types::text") + """
                     AS rt(resource_type)
                  CROSS JOIN LATERAL (""" + LeaseStore.OLDEST_PENDING.replace(":rt", "rt.resource_type") + """
            ) o)
            SELECT t.id, t.resource_id, r.active_leases, (SELECT ids FROM w) || (SELECT ids FROM sw) FROM t JOIN r ON r.id = t.resource_id""");

    /**
     * What {@link #giveBack} did: the leases it moved to DESTROYED (the others had moved on, and
     * nothing changed for them), the leases left on each resource it gave slots back to, and the
     * leases to wake: the oldest of the types asked about that wait for room (see
     * {@link LeaseStore#oldestPending}), and those being acquired on a resource where a lease slot
     * was freed ({@code LeaseContext.takeSlot} may have found none for them).
     */
    public record GivenBack(List<Long> moved, Map<Long, Integer> leftOnResource, List<Long> waiting) {}

    private static void requireOwnTransaction(Handle h) {
        if (h.isInTransaction()) {
            throw new IllegalStateException("runs as a statement of its own: the resource row's lock must not outlive it");
        }
    }
}
