package dev.drydock.core.internal.store;

import dev.drydock.api.GangInfo;
import dev.drydock.api.GangStatus;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.core.internal.Json;
import dev.drydock.taskqueue.SqlEnqueue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Stored gangs (docs/planner.md) and the statements only gangs run: the insert of a gang with
 * its members, the locks of the reservation (gang, then its members by id, then resources by id, then
 * blueprints by id: leases before resources as in {@link LeaseCapacity}, resources before blueprints as
 * in a resource's destruction), and the FIFO hold on the blueprint rows.
 */
public final class GangStore {
    private static final String COLUMNS = "id, status, status_reason, acquire_deadline, size, tries, waits, created_at";

    private GangStore() {}

    /** A stored gang. {@code tries}: admissions a member's failure undid; {@code waits}: looks that found no room. */
    public record GangRow(long id, GangStatus status, String statusReason, Instant acquireDeadline, int size, int tries, int waits,
                          Instant createdAt) {}

    /** A member as the gang sees it: the lease, and whether its blueprint has prepared it. */
    public record Member(LeaseRow lease, boolean prepared) {}

    /** What {@link #insert} stored: the gang and its members in request order. */
    public record Inserted(GangRow gang, List<LeaseRow> members) {}

    /**
     * Inserts a WAITING gang, its PENDING members (each with the gang's deadline, {@code deadlineMs}
     * from now on the database's clock) and their first log rows, and the gang's first update
     * {@code task} (whose expressions read the gang as {@code gi}), in one statement.
     */
    public static Inserted insert(Handle h, List<LeaseStore.NewLease> members, long deadlineMs, SqlEnqueue task) {
        String sql = """
                WITH gi AS (
                    INSERT INTO dd_gang (status, status_reason, acquire_deadline, size)
                    VALUES ('WAITING', 'requested; waiting for a taskmaster to admit it', now() + (SELECT ?::bigint) * interval '1 millisecond',
                            (SELECT ?::int))
                    RETURNING *),
                n AS (
                    SELECT * FROM unnest((SELECT ?::text[]), (SELECT ?::text[]), (SELECT ?::text[]), (SELECT ?::text[]),
                                         (SELECT ?::bigint[]), (SELECT ?::text[])) WITH ORDINALITY
                        AS n(owner_token, resource_type, attributes, allowed_blueprints, ttl_ms, what, ord)),
                l AS (
                    INSERT INTO dd_lease (owner_token, resource_type, attributes, allowed_blueprints, status, status_reason,
                                          ttl_ms, acquire_deadline, gang_id)
                    SELECT owner_token, resource_type, attributes::jsonb, ARRAY(SELECT jsonb_array_elements_text(allowed_blueprints::jsonb)),
                           'PENDING', 'waiting as a member of gang ' || gi.id || ': requested', ttl_ms, gi.acquire_deadline, gi.id
                      FROM n CROSS JOIN gi ORDER BY ord
                    RETURNING *),
                g AS (INSERT INTO dd_log (lease_id, message)
                      SELECT l.id, 'lease ' || l.id || ' requested as a member of gang ' || l.gang_id || ': ' || n.what
                        FROM l JOIN n ON n.owner_token = l.owner_token ORDER BY l.id),
                """ + "q AS (" + task.insertFrom("gi") + ")\n"
                + "SELECT " + LeaseStore.COLUMNS.list() + ", " + SqlEnqueue.wakeFor("q") + " FROM l";
        Map<String, LeaseRow> byToken = new HashMap<>();
        long[] gangId = {0};
        Jdbc.query(h, sql, s -> {
            s.setLong(1, deadlineMs);
            s.setInt(2, members.size());
            s.setArray(3, Jdbc.array(s, "text", members, LeaseStore.NewLease::ownerToken));
            s.setArray(4, Jdbc.array(s, "text", members, LeaseStore.NewLease::resourceType));
            s.setArray(5, Jdbc.array(s, "text", members, l -> Json.write(l.attributes())));
            s.setArray(6, Jdbc.array(s, "text", members, l -> Json.write(l.allowedBlueprints())));
            s.setArray(7, Jdbc.array(s, "bigint", members, l -> l.ttlMs().orElse(null)));
            s.setArray(8, Jdbc.array(s, "text", members, LeaseStore.NewLease::what));
        }, rs -> LeaseStore.map(rs, 1)).forEach(row -> {
            byToken.put(row.ownerToken(), row);
            gangId[0] = row.gangId().orElseThrow();
        });
        GangRow gang = find(h, gangId[0]).orElseThrow();
        return new Inserted(gang, members.stream().map(m -> byToken.get(m.ownerToken())).toList());
    }

    public static Optional<GangRow> find(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM dd_gang WHERE id = :id").bind("id", id).map((rs, ctx) -> map(rs)).findOne();
    }

    /** Locks the gang's row: the first lock of every change of a gang. */
    public static Optional<GangRow> lock(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM dd_gang WHERE id = :id FOR UPDATE").bind("id", id).map((rs, ctx) -> map(rs)).findOne();
    }

    /** The gang's members by id, with whether each is prepared. */
    public static List<Member> members(Handle h, long gangId) {
        return members(h, gangId, "");
    }

    /** {@link #members}, locking their rows in id order (after the gang's). */
    public static List<Member> lockMembers(Handle h, long gangId) {
        return members(h, gangId, " FOR UPDATE");
    }

    private static List<Member> members(Handle h, long gangId, String lock) {
        return h.createQuery("SELECT " + LeaseStore.COLUMNS.list() + ", prepared_at IS NOT NULL FROM dd_lease WHERE gang_id = :g ORDER BY id" + lock)
                .bind("g", gangId).map((rs, ctx) -> new Member(LeaseStore.map(rs, 1), rs.getBoolean(1 + LeaseStore.COLUMNS.width()))).list();
    }

    /**
     * Moves the gang from {@code from} to {@code to} with its reason, writing the change into each
     * member's log; false if it was no longer in {@code from}.
     */
    public static boolean move(Handle h, long id, GangStatus from, GangStatus to, String reason) {
        int n = h.createUpdate("""
                        UPDATE dd_gang SET status = :to, status_reason = :reason, updated_at = now(), version = version + 1,
                               tries = tries + CASE WHEN :from = 'RESERVED' AND :to = 'WAITING' THEN 1 ELSE 0 END
                         WHERE id = :id AND status = :from""")
                .bind("to", to.name()).bind("from", from.name()).bind("reason", reason).bind("id", id).execute();
        if (n == 1) {
            logToMembers(h, id, "gang " + id + " " + from + " -> " + to + ": " + reason);
        }
        return n == 1;
    }

    /**
     * Records why a waiting gang still waits: on the gang (one more wait, for its backoff) and as the
     * reason of its members that are still waiting, so that a member's holder and `why` see it. The
     * count of waits of its first member of each resource type grows too: the wake-ups of waiting
     * leases of a type (the oldest that have waited) then find the gang through it, once per gang.
     */
    public static void waiting(Handle h, long id, String reason) {
        h.createUpdate("UPDATE dd_gang SET status_reason = :r, waits = waits + 1, updated_at = now() WHERE id = :id AND status = 'WAITING'")
                .bind("r", reason).bind("id", id).execute();
        h.createUpdate("""
                        UPDATE dd_lease SET status_reason = 'waiting as a member of gang ' || :id || ': ' || :r, updated_at = now(),
                               waits = waits + CASE WHEN id IN (SELECT min(id) FROM dd_lease WHERE gang_id = :id GROUP BY resource_type)
                                                    THEN 1 ELSE 0 END
                         WHERE gang_id = :id AND status = 'PENDING'""")
                .bind("r", reason).bind("id", id).execute();
    }

    private static void logToMembers(Handle h, long gangId, String message) {
        h.createUpdate("INSERT INTO dd_log (lease_id, resource_id, message) SELECT id, resource_id, :m FROM dd_lease WHERE gang_id = :g ORDER BY id")
                .bind("m", message).bind("g", gangId).execute();
    }

    /** A resource as the reservation locked it. */
    public record LockedResource(long id, ResourceStatus status, int capacity, int activeLeases) {}

    /** Locks resources in id order; the ones that exist, by id. */
    public static Map<Long, LockedResource> lockResources(Handle h, Collection<Long> ids) {
        Map<Long, LockedResource> locked = new HashMap<>();
        h.createQuery("SELECT id, status, capacity, active_leases FROM dd_resource WHERE id = ANY(:ids) ORDER BY id FOR UPDATE")
                .bind("ids", ids.toArray(Long[]::new))
                .map((rs, ctx) -> new LockedResource(rs.getLong(1), ResourceStatus.valueOf(rs.getString(2)), rs.getInt(3), rs.getInt(4)))
                .forEach(r -> locked.put(r.id(), r));
        return locked;
    }

    /** Locks live blueprints in id order; the ones that are not deleted, by id. */
    public static Map<Long, BlueprintRow> lockBlueprints(Handle h, Collection<Long> ids) {
        Map<Long, BlueprintRow> locked = new HashMap<>();
        h.createQuery("SELECT " + BlueprintStore.COLUMNS.list() + " FROM dd_blueprint WHERE id = ANY(:ids) AND deleted_at IS NULL ORDER BY id FOR UPDATE")
                .bind("ids", ids.toArray(Long[]::new)).map((rs, ctx) -> BlueprintStore.map(rs, 1)).forEach(b -> locked.put(b.id(), b));
        return locked;
    }

    /** Takes {@code n} lease places on each resource (locked and checked by the caller). */
    public static void takePlaces(Handle h, Map<Long, Integer> perResource) {
        List<Long> ids = new ArrayList<>(perResource.keySet());
        h.createUpdate("""
                        UPDATE dd_resource SET active_leases = active_leases + w.n, idle_since = NULL
                          FROM unnest(:ids::bigint[], :ns::int[]) AS w(id, n) WHERE dd_resource.id = w.id""")
                .bind("ids", ids.toArray(Long[]::new)).bind("ns", ids.stream().map(perResource::get).toArray(Integer[]::new)).execute();
    }

    /** Takes {@code n} places of each blueprint's resource limit (locked and checked by the caller). */
    public static void reserveBuilds(Handle h, Map<Long, Integer> perBlueprint) {
        List<Long> ids = new ArrayList<>(perBlueprint.keySet());
        h.createUpdate("""
                        UPDATE dd_blueprint SET resource_count = resource_count + w.n
                          FROM unnest(:ids::bigint[], :ns::int[]) AS w(id, n) WHERE dd_blueprint.id = w.id""")
                .bind("ids", ids.toArray(Long[]::new)).bind("ns", ids.stream().map(perBlueprint::get).toArray(Integer[]::new)).execute();
    }

    /**
     * PENDING -> ACQUIRED for members placed on resources whose places the caller took: each with its
     * resource and reason, and the log rows. Returns how many moved.
     */
    public static int acquire(Handle h, List<LeaseCapacity.Placement> placements) {
        return h.createQuery("""
                        WITH p AS (SELECT * FROM unnest(:ids::bigint[], :rs::bigint[], :reasons::text[]) AS p(id, r, reason)),
                        t AS (UPDATE dd_lease SET status = 'ACQUIRED', status_reason = p.reason, resource_id = p.r, building_resource_id = NULL,
                                                  prepared_at = NULL, updated_at = now(), version = version + 1
                                FROM p WHERE dd_lease.id = p.id AND dd_lease.status = 'PENDING'
                              RETURNING dd_lease.id, dd_lease.resource_id, p.reason),
                        g AS (INSERT INTO dd_log (lease_id, resource_id, message)
                              SELECT id, resource_id, 'lease ' || id || ' PENDING -> ACQUIRED: ' || reason FROM t ORDER BY id)
                        SELECT count(*) FROM t""")
                .bind("ids", placements.stream().map(LeaseCapacity.Placement::leaseId).toArray(Long[]::new))
                .bind("rs", placements.stream().map(LeaseCapacity.Placement::resourceId).toArray(Long[]::new))
                .bind("reasons", placements.stream().map(LeaseCapacity.Placement::reason).toArray(String[]::new))
                .mapTo(Integer.class).one();
    }

    /** Marks an ACQUIRED member on {@code resourceId} prepared, with why it now waits; false if it moved meanwhile. */
    public static boolean prepared(Handle h, long leaseId, long resourceId, String reason) {
        return h.createUpdate("""
                        UPDATE dd_lease SET prepared_at = now(), status_reason = :reason, updated_at = now()
                         WHERE id = :id AND status = 'ACQUIRED' AND resource_id = :r""")
                .bind("id", leaseId).bind("r", resourceId).bind("reason", reason).execute() == 1;
    }

    /**
     * An ACQUIRED member back to PENDING, its place given back, its preparation forgotten, and the
     * slots its blueprint took for it freed (the caller undid the preparation first): the undo of
     * an admission. False if it was no longer ACQUIRED.
     */
    public static boolean unplace(Handle h, LeaseRow member, String reason) {
        if (!LeaseStore.transition(h, member, LeaseStatus.ACQUIRED, LeaseStatus.PENDING, reason, ", resource_id = NULL, prepared_at = NULL")) {
            return false;
        }
        ResourceStore.releaseLease(h, member.resourceId().orElseThrow());
        h.createUpdate("DELETE FROM dd_slot_lock WHERE owner_lease_id = :id").bind("id", member.id()).execute();
        return true;
    }

    /**
     * Forgets every preparation of the gang's members that are back to PENDING: one whose resource
     * broke went back by the engine's usual transition, which knows nothing of preparations, and it
     * must be prepared anew wherever the next admission places it.
     */
    public static void forgetPreparations(Handle h, long gangId) {
        h.createUpdate("UPDATE dd_lease SET prepared_at = NULL WHERE gang_id = :g AND status = 'PENDING' AND prepared_at IS NOT NULL")
                .bind("g", gangId).execute();
    }

    /**
     * Makes this gang the head gang of blueprint {@code blueprintId} with what it needs there, unless
     * an older gang not yet active is (the hold of a gang that is active or over is taken over). A
     * RESERVED gang keeps a hold for the resources being built for its members, so that a younger
     * lease does not take one of them the moment it is ready.
     */
    public static void hold(Handle h, long blueprintId, long firstMember, int places, int builds) {
        h.createUpdate("""
                        UPDATE dd_blueprint b SET gang_hold_lease_id = :first, gang_hold_places = :places, gang_hold_builds = :builds
                         WHERE b.id = :b AND (b.gang_hold_lease_id IS NULL OR b.gang_hold_lease_id >= :first
                               OR NOT EXISTS (SELECT 1 FROM dd_lease l JOIN dd_gang g ON g.id = l.gang_id
                                               WHERE l.id = b.gang_hold_lease_id AND g.status IN ('WAITING', 'RESERVED')))
                           AND (b.gang_hold_lease_id IS DISTINCT FROM :first OR b.gang_hold_places <> :places OR b.gang_hold_builds <> :builds)""")
                .bind("b", blueprintId).bind("first", firstMember).bind("places", places).bind("builds", builds).execute();
    }

    /** Ends the holds of the gang whose first member is {@code firstMember}, on every blueprint but {@code keep}. */
    public static void releaseHolds(Handle h, long firstMember, Collection<Long> keep) {
        h.createUpdate("""
                        UPDATE dd_blueprint SET gang_hold_lease_id = NULL, gang_hold_places = 0, gang_hold_builds = 0
                         WHERE gang_hold_lease_id = :first AND NOT id = ANY(:keep)""")
                .bind("first", firstMember).bind("keep", keep.toArray(Long[]::new)).execute();
    }

    /** Ends the holds of gangs that are active or over (their task ended them, unless a crash came first). */
    public static int releaseStaleHolds(Handle h) {
        return h.createUpdate("""
                        UPDATE dd_blueprint b SET gang_hold_lease_id = NULL, gang_hold_places = 0, gang_hold_builds = 0
                         WHERE b.gang_hold_lease_id IS NOT NULL
                           AND NOT EXISTS (SELECT 1 FROM dd_lease l JOIN dd_gang g ON g.id = l.gang_id
                                            WHERE l.id = b.gang_hold_lease_id AND g.status IN ('WAITING', 'RESERVED'))""").execute();
    }

    /** What a holder sees of a gang and its members (each with the name of its resource's blueprint), in two statements. */
    public static Optional<GangInfo> info(Handle h, long id) {
        return find(h, id).map(g -> new GangInfo(g.id(), g.status(), g.statusReason(), g.acquireDeadline(), g.createdAt(),
                h.createQuery("SELECT " + LeaseStore.COLUMNS.qualified("l") + ", b.name FROM dd_lease l"
                                + " LEFT JOIN dd_resource r ON r.id = l.resource_id LEFT JOIN dd_blueprint b ON b.id = r.blueprint_id"
                                + " WHERE l.gang_id = :g ORDER BY l.id")
                        .bind("g", id).map((rs, ctx) -> LeaseStore.info(LeaseStore.map(rs, 1),
                                Optional.ofNullable(rs.getString(1 + LeaseStore.COLUMNS.width())))).list()));
    }

    private static GangRow map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new GangRow(rs.getLong(1), GangStatus.valueOf(rs.getString(2)), rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getInt(5),
                rs.getInt(6), rs.getInt(7), rs.getTimestamp(8).toInstant());
    }
}
