package dev.drydock.core.internal.store;

import dev.drydock.api.LeaseStatus;
import dev.drydock.core.internal.Json;
import java.util.ArrayList;
import java.util.HashMap;
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
 * status and log row, as every transition must. Each statement serves a batch of leases.
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

    /** One lease to move PENDING -> ACQUIRED on a resource, with the reason its log row gives. */
    public record Take(long leaseId, long resourceId, String reason) {}

    /**
     * PENDING -> ACQUIRED for each of {@code takes} on its resource, taking one of the resource's
     * lease slots, in one statement; results by position. Lease rows are locked first (in id
     * order), as in every other transition, so a release racing with this either lands first (and
     * nothing is taken for that lease) or waits for it; then each resource row, under whose lock
     * its room is counted, so leases asking for one resource get slots in input order while
     * they last and the rest are told {@link Taken.Full}. The resource row is updated once, however
     * many of its slots the batch took.
     */
    public static List<Taken> take(Handle h, List<Take> takes) {
        requireOwnTransaction(h);
        Map<Long, Integer> byLease = new HashMap<>();
        for (int i = 0; i < takes.size(); i++) {
            if (byLease.put(takes.get(i).leaseId(), i) != null) {
                throw new IllegalArgumentException("lease " + takes.get(i).leaseId() + " appears twice in one take");
            }
        }
        List<Taken> results = new ArrayList<>(java.util.Collections.nCopies(takes.size(), (Taken) new Taken.LeaseMoved()));
        h.createQuery("""
                        WITH q AS (SELECT * FROM unnest(:leases::bigint[], :resources::bigint[], :reasons::text[])
                                   WITH ORDINALITY AS q(lease_id, resource_id, reason, n)),
                        l AS (SELECT id FROM dd_lease WHERE id = ANY(:leases::bigint[]) AND status = 'PENDING' ORDER BY id FOR UPDATE),
                        ask AS (SELECT q.*, row_number() OVER (PARTITION BY q.resource_id ORDER BY q.n) AS k FROM q JOIN l ON l.id = q.lease_id),
                        room AS (SELECT id, capacity - active_leases AS room FROM dd_resource
                                 WHERE id IN (SELECT resource_id FROM ask) AND status = 'ACTIVE' ORDER BY id FOR UPDATE),
                        granted AS (SELECT ask.* FROM ask JOIN room ON room.id = ask.resource_id WHERE ask.k <= room.room),
                        r AS (UPDATE dd_resource SET active_leases = active_leases + per.taken, idle_since = NULL
                              FROM (SELECT resource_id, count(*) AS taken FROM granted GROUP BY resource_id) per
                              WHERE dd_resource.id = per.resource_id
                              RETURNING\s""" + Columns.of("dd_resource", ResourceStore.COLUMNS) + """
                        ),
                        t AS (UPDATE dd_lease SET status = 'ACQUIRED', status_reason = g.reason, updated_at = now(), version = version + 1,
                                                  resource_id = g.resource_id, building_resource_id = NULL
                              FROM granted g WHERE dd_lease.id = g.lease_id),
                        logged AS (INSERT INTO dd_log (lease_id, resource_id, message)
                              SELECT lease_id, resource_id, 'lease ' || lease_id || ' PENDING -> ACQUIRED: ' || reason FROM granted ORDER BY n)
                        SELECT q.lease_id, l.id IS NOT NULL, r.*
                          FROM q LEFT JOIN l ON l.id = q.lease_id
                                 LEFT JOIN granted ON granted.lease_id = q.lease_id
                                 LEFT JOIN r ON r.id = granted.resource_id""")
                .bind("leases", takes.stream().map(Take::leaseId).toArray(Long[]::new))
                .bind("resources", takes.stream().map(Take::resourceId).toArray(Long[]::new))
                .bind("reasons", takes.stream().map(Take::reason).toArray(String[]::new))
                .map((rs, ctx) -> {
                    int at = byLease.get(rs.getLong(1));
                    if (rs.getBoolean(2)) {
                        rs.getLong(3);
                        results.set(at, rs.wasNull() ? new Taken.Full() : new Taken.OnResource(ResourceStore.map(rs, 3)));
                    }
                    return at;
                })
                .list();
        return results;
    }

    /** One lease to move from RELEASED or BROKEN to DESTROYED, with what the blueprint recorded while cleaning up. */
    public record GiveBack(long leaseId, LeaseStatus from, String reason, Map<String, String> leaseAttributes,
                           Map<String, String> resourceAttributes, List<String> logLines) {
        public GiveBack {
            if (!from.canMoveTo(LeaseStatus.DESTROYED)) {
                throw new IllegalStateException("lease " + leaseId + ": no transition " + from + " -> DESTROYED");
            }
        }
    }

    /**
     * Each of {@code gives}: {@code from} (RELEASED or BROKEN) -> DESTROYED, giving the lease's slot
     * back to its resource (no notification: a holder's wait ended at RELEASED or BROKEN), with
     * what the blueprint recorded (lease and resource attributes, log lines, written before the
     * transition's own line), and finding up to {@code waitersToWake} leases of the resource type
     * waiting for room, in one statement; results by position. Each resource row is updated once
     * however many of its leases the batch ends (resource attributes recorded for two leases of one
     * resource under the same key: one of them wins). The leases to wake are told to one result
     * per resource type, so that they are woken once. Empty for a lease no longer in {@code from}
     * (nothing changed for it).
     */
    public static List<Optional<GivenBack>> giveBack(Handle h, List<GiveBack> gives, int waitersToWake) {
        requireOwnTransaction(h);
        Map<Long, Integer> byLease = new HashMap<>();
        List<Long> logLease = new ArrayList<>();
        List<String> logMessage = new ArrayList<>();
        for (int i = 0; i < gives.size(); i++) {
            GiveBack g = gives.get(i);
            if (byLease.put(g.leaseId(), i) != null) {
                throw new IllegalArgumentException("lease " + g.leaseId() + " appears twice in one give-back");
            }
            for (String line : g.logLines()) {
                logLease.add(g.leaseId());
                logMessage.add(line);
            }
            logLease.add(g.leaseId());
            logMessage.add("lease " + g.leaseId() + " " + g.from() + " -> DESTROYED: " + g.reason());
        }
        List<Optional<GivenBack>> results = new ArrayList<>(java.util.Collections.nCopies(gives.size(), Optional.<GivenBack>empty()));
        h.createQuery("""
                        WITH q AS (SELECT * FROM unnest(:leases::bigint[], :froms::text[], :reasons::text[], :leaseAttributes::text[],
                                                        :resourceAttributes::text[]) AS q(lease_id, from_status, reason, lattrs, rattrs)),
                        t AS (UPDATE dd_lease SET status = 'DESTROYED', status_reason = q.reason, updated_at = now(), version = version + 1,
                                                  lease_attributes = lease_attributes || q.lattrs::jsonb
                              FROM q WHERE dd_lease.id = q.lease_id AND dd_lease.status = q.from_status AND dd_lease.resource_id IS NOT NULL
                              RETURNING dd_lease.id, dd_lease.resource_id, dd_lease.resource_type, q.rattrs),
                        m AS (SELECT * FROM unnest(:logLease::bigint[], :logMessage::text[]) WITH ORDINALITY AS m(lease_id, message, n)),
                        logged AS (INSERT INTO dd_log (lease_id, resource_id, message)
                              SELECT t.id, t.resource_id, m.message FROM m JOIN t ON t.id = m.lease_id ORDER BY m.n),
                        per AS (SELECT t.resource_id, count(DISTINCT t.id) AS given,
                                       coalesce(jsonb_object_agg(e.key, e.value) FILTER (WHERE e.key IS NOT NULL), '{}') AS attrs
                                FROM t LEFT JOIN LATERAL jsonb_each(t.rattrs::jsonb) e ON true GROUP BY t.resource_id),
                        r AS (UPDATE dd_resource SET active_leases = active_leases - per.given,
                                                     idle_since = CASE WHEN active_leases = per.given THEN now() ELSE idle_since END,
                                                     attributes = attributes || per.attrs
                              FROM per WHERE dd_resource.id = per.resource_id RETURNING dd_resource.id, dd_resource.active_leases),
                        w AS (SELECT first_id, array(""" + LeaseStore.oldestPending("types.resource_type") + """
                                     ) AS ids FROM (SELECT resource_type, min(id) AS first_id FROM t GROUP BY resource_type) types)
                        SELECT t.id, r.active_leases, coalesce(w.ids, '{}')
                          FROM t JOIN r ON r.id = t.resource_id LEFT JOIN w ON w.first_id = t.id""")
                .bind("leases", gives.stream().map(GiveBack::leaseId).toArray(Long[]::new))
                .bind("froms", gives.stream().map(g -> g.from().name()).toArray(String[]::new))
                .bind("reasons", gives.stream().map(GiveBack::reason).toArray(String[]::new))
                .bind("leaseAttributes", gives.stream().map(g -> Json.write(g.leaseAttributes())).toArray(String[]::new))
                .bind("resourceAttributes", gives.stream().map(g -> Json.write(g.resourceAttributes())).toArray(String[]::new))
                .bind("logLease", logLease.toArray(Long[]::new)).bind("logMessage", logMessage.toArray(String[]::new))
                .bind("wake", waitersToWake)
                .map((rs, ctx) -> {
                    int at = byLease.get(rs.getLong(1));
                    results.set(at, Optional.of(new GivenBack(rs.getInt(2), List.of((Long[]) rs.getArray(3).getArray()))));
                    return at;
                })
                .list();
        return results;
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
