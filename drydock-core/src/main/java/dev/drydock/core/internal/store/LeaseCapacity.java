package dev.drydock.core.internal.store;

import dev.drydock.api.LeaseStatus;
import dev.drydock.core.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The two lease transitions that change a resource's lease count: PENDING -> ACQUIRED takes a slot,
 * the clean-up to DESTROYED gives it back. The count lives on the resource row, which every lease
 * on that resource updates, so each is one statement run on its own (autocommit): the row lock is
 * then held only while the server executes and commits it, never across a round trip to a client
 * that a busy machine may not schedule for milliseconds (held across one, 16 clients waited 12 ms
 * on average for it). Being one statement, the count still changes atomically with the lease's
 * status and log row, as every transition must.
 */
public final class LeaseCapacity {
    private LeaseCapacity() {}

    /** What {@link #take} came to. */
    public sealed interface Taken {
        /** The lease is ACQUIRED on the resource, as it now stands. */
        record OnResource(ResourceRow resource) implements Taken {}

        /** The resource was full or no longer active; nothing changed. */
        record Full() implements Taken {}

        /** The lease was no longer PENDING (released meanwhile); nothing changed. */
        record LeaseMoved() implements Taken {}
    }

    /**
     * PENDING -> ACQUIRED on {@code resourceId}, taking one of its lease slots. The lease row is
     * locked first, as in every other transition, so a release racing with this either lands first
     * (and nothing is taken) or waits for it.
     */
    public static Taken take(Handle h, long leaseId, long resourceId, String reason) {
        requireOwnTransaction(h);
        return h.createQuery("""
                        WITH l AS (SELECT id FROM dd_lease WHERE id = :lease AND status = 'PENDING' FOR UPDATE),
                        r AS (UPDATE dd_resource SET active_leases = active_leases + 1, idle_since = NULL
                              WHERE id = :resource AND status = 'ACTIVE' AND active_leases < capacity AND EXISTS (SELECT 1 FROM l)
                              RETURNING\s""" + ResourceStore.COLUMNS + """
                        ),
                        t AS (UPDATE dd_lease SET status = 'ACQUIRED', status_reason = :reason, updated_at = now(), version = version + 1,
                                                  resource_id = :resource, building_resource_id = NULL
                              WHERE id = :lease AND EXISTS (SELECT 1 FROM r) RETURNING id),
                        g AS (INSERT INTO dd_log (lease_id, resource_id, message) SELECT id, :resource, :message FROM t)
                        SELECT EXISTS (SELECT 1 FROM l), r.* FROM (SELECT 1) AS one LEFT JOIN r ON true""")
                .bind("lease", leaseId).bind("resource", resourceId).bind("reason", reason)
                .bind("message", "lease " + leaseId + " PENDING -> ACQUIRED: " + reason)
                .map((rs, ctx) -> {
                    if (!rs.getBoolean(1)) {
                        return (Taken) new Taken.LeaseMoved();
                    }
                    rs.getLong(2);
                    if (rs.wasNull()) {
                        return new Taken.Full();
                    }
                    return new Taken.OnResource(ResourceStore.map(rs, 2));
                })
                .one();
    }

    /**
     * {@code from} (RELEASED or BROKEN) -> DESTROYED, giving the lease's slot back to its resource
     * (no notification: a holder's wait ended at RELEASED or BROKEN),
     * with what the blueprint recorded while cleaning up (lease and resource attributes, log lines,
     * written before the transition's own line), and finding up to {@code waitersToWake} leases of
     * {@code resourceType} waiting for room. Empty if the lease was no longer in {@code from}
     * (nothing changed).
     */
    public static Optional<GivenBack> giveBack(Handle h, long leaseId, LeaseStatus from, String reason, Map<String, String> leaseAttributes,
                                               Map<String, String> resourceAttributes, List<String> logLines, String resourceType,
                                               int waitersToWake) {
        if (!from.canMoveTo(LeaseStatus.DESTROYED)) {
            throw new IllegalStateException("lease " + leaseId + ": no transition " + from + " -> DESTROYED");
        }
        requireOwnTransaction(h);
        List<String> messages = new ArrayList<>(logLines);
        messages.add("lease " + leaseId + " " + from + " -> DESTROYED: " + reason);
        return h.createQuery("""
                        WITH t AS (UPDATE dd_lease SET status = 'DESTROYED', status_reason = :reason, updated_at = now(), version = version + 1,
                                                       lease_attributes = lease_attributes || :leaseAttributes::jsonb
                                   WHERE id = :lease AND status = :from AND resource_id IS NOT NULL RETURNING id, resource_id),
                        g AS (INSERT INTO dd_log (lease_id, resource_id, message)
                              SELECT t.id, t.resource_id, m.message FROM t, unnest(:messages) WITH ORDINALITY AS m(message, n) ORDER BY m.n),
                        r AS (UPDATE dd_resource SET active_leases = active_leases - 1,
                                                     idle_since = CASE WHEN active_leases = 1 THEN now() ELSE idle_since END,
                                                     attributes = attributes || :resourceAttributes::jsonb
                              FROM t WHERE dd_resource.id = t.resource_id RETURNING dd_resource.active_leases),
                        w AS (SELECT coalesce(array_agg(id ORDER BY id), '{}') AS ids FROM (""" + LeaseStore.OLDEST_PENDING + """
                        ) oldest)
                        SELECT (SELECT active_leases FROM r), (SELECT ids FROM w) FROM t""")
                .bind("lease", leaseId).bind("from", from.name()).bind("reason", reason)
                .bind("leaseAttributes", Json.write(leaseAttributes)).bind("resourceAttributes", Json.write(resourceAttributes))
                .bind("messages", messages.toArray(String[]::new)).bind("rt", resourceType).bind("wake", waitersToWake)
                .map((rs, ctx) -> new GivenBack(rs.getInt(1), List.of((Long[]) rs.getArray(2).getArray())))
                .findOne();
    }

    /**
     * What giving a slot back left: the leases still on the resource, and the oldest leases of its
     * type that are waiting for room (see {@link LeaseStore#oldestPending}), to wake.
     */
    public record GivenBack(int left, List<Long> waiting) {}

    private static void requireOwnTransaction(Handle h) {
        if (h.isInTransaction()) {
            throw new IllegalStateException("runs as a statement of its own: the resource row's lock must not outlive it");
        }
    }
}
