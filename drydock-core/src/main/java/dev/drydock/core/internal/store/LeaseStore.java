package dev.drydock.core.internal.store;

import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseStatus;
import dev.drydock.core.internal.Json;
import dev.drydock.taskqueue.SqlEnqueue;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Stored leases and their transitions. Every transition is guarded by the status it expects, writes
 * a log row and, when a holder may be waiting for it, NOTIFYs {@link #CHANNEL}, all in the same
 * statement or transaction, so a waiting holder wakes exactly when the change commits.
 */
public final class LeaseStore {
    /**
     * The channel lease changes are announced on, with the payload {@code ID:STATUS} (the status the
     * lease moved to). Notifications of one channel arrive in commit order.
     */
    public static final String CHANNEL = "drydock_lease";

    /**
     * The SET clauses, after a comma, that every move to ACTIVE adds to its status change: when it
     * became active, and when its TTL (if any) runs out, both from the database clock.
     */
    public static final String ACTIVE_SETS = ", activated_at = now(), expires_at = CASE WHEN ttl_ms IS NULL THEN NULL"
            + " ELSE now() + ttl_ms * interval '1 millisecond' END";
    static final Columns COLUMNS = Columns.of("""
            id, owner_token, resource_type, attributes::text, allowed_blueprints, status, status_reason, resource_id,
            building_resource_id, lease_attributes::text, ttl_ms, acquire_deadline, waits, created_at, activated_at, expires_at, gang_id""");
    private static final int ID = COLUMNS.at("id");
    private static final int OWNER_TOKEN = COLUMNS.at("owner_token");
    private static final int RESOURCE_TYPE = COLUMNS.at("resource_type");
    private static final int ATTRIBUTES = COLUMNS.at("attributes");
    private static final int ALLOWED_BLUEPRINTS = COLUMNS.at("allowed_blueprints");
    private static final int STATUS = COLUMNS.at("status");
    private static final int STATUS_REASON = COLUMNS.at("status_reason");
    private static final int RESOURCE_ID = COLUMNS.at("resource_id");
    private static final int BUILDING_RESOURCE_ID = COLUMNS.at("building_resource_id");
    private static final int LEASE_ATTRIBUTES = COLUMNS.at("lease_attributes");
    private static final int TTL_MS = COLUMNS.at("ttl_ms");
    private static final int ACQUIRE_DEADLINE = COLUMNS.at("acquire_deadline");
    private static final int WAITS = COLUMNS.at("waits");
    private static final int CREATED_AT = COLUMNS.at("created_at");
    private static final int ACTIVATED_AT = COLUMNS.at("activated_at");
    private static final int EXPIRES_AT = COLUMNS.at("expires_at");
    private static final int GANG_ID = COLUMNS.at("gang_id");

    private LeaseStore() {}

    /** A lease to request: {@link #insertAll}'s input. The owner token is random, so unique. */
    public record NewLease(String ownerToken, String resourceType, Map<String, String> attributes, List<String> allowedBlueprints,
                           Optional<Long> ttlMs, long deadlineMs) {
        public NewLease {
            attributes = Map.copyOf(attributes);
            allowedBlueprints = List.copyOf(allowedBlueprints);
        }

        /** What the first log row says was asked for. */
        String what() {
            return resourceType + (attributes.isEmpty() ? "" : " " + attributes);
        }
    }

    /** {@link #insertAll} of one lease. */
    public static LeaseRow insert(Handle h, NewLease lease, SqlEnqueue followUp) {
        return insertAll(h, List.of(lease), followUp).get(0);
    }

    /**
     * Inserts pending leases, each with its first log row and the task {@code followUp} (whose
     * expressions read the new row as {@code l}: the lease's first update), in one statement;
     * returns the stored rows in the order of {@code leases}.
     */
    public static List<LeaseRow> insertAll(Handle h, List<NewLease> leases, SqlEnqueue followUp) {
        // every lease runs it: JDBC directly (see Jdbc)
        String sql = """
                WITH n AS (
                    SELECT * FROM unnest((SELECT ?::text[]), (SELECT ?::text[]), (SELECT ?::text[]), (SELECT ?::text[]),
                                         (SELECT ?::bigint[]), (SELECT ?::bigint[]), (SELECT ?::text[])) WITH ORDINALITY
                        AS n(owner_token, resource_type, attributes, allowed_blueprints, ttl_ms, deadline_ms, what, ord)),
                l AS (
                    INSERT INTO dd_lease (owner_token, resource_type, attributes, allowed_blueprints, status, status_reason,
                                          ttl_ms, acquire_deadline)
                    SELECT owner_token, resource_type, attributes::jsonb, ARRAY(SELECT jsonb_array_elements_text(allowed_blueprints::jsonb)),
                           'PENDING', 'requested; waiting for a taskmaster to allocate it', ttl_ms, now() + deadline_ms * interval '1 millisecond'
                      FROM n ORDER BY ord
                    RETURNING *),
                g AS (INSERT INTO dd_log (lease_id, message)
                      SELECT l.id, 'lease ' || l.id || ' requested: ' || n.what FROM l JOIN n ON n.owner_token = l.owner_token ORDER BY l.id),
                """ + "q AS (" + followUp.insertFrom("l") + ")\n"
                + "SELECT " + COLUMNS.list() + ", " + SqlEnqueue.wakeFor("q") + " FROM l";
        Map<String, LeaseRow> byToken = new HashMap<>();
        Jdbc.query(h, sql, s -> {
            s.setArray(1, Jdbc.array(s, "text", leases, NewLease::ownerToken));
            s.setArray(2, Jdbc.array(s, "text", leases, NewLease::resourceType));
            s.setArray(3, Jdbc.array(s, "text", leases, l -> Json.write(l.attributes())));
            s.setArray(4, Jdbc.array(s, "text", leases, l -> Json.write(l.allowedBlueprints())));
            s.setArray(5, Jdbc.array(s, "bigint", leases, l -> l.ttlMs().orElse(null)));
            s.setArray(6, Jdbc.array(s, "bigint", leases, NewLease::deadlineMs));
            s.setArray(7, Jdbc.array(s, "text", leases, NewLease::what));
        }, rs -> map(rs, 1)).forEach(row -> byToken.put(row.ownerToken(), row));
        return leases.stream().map(l -> byToken.get(l.ownerToken())).toList();
    }

    public static Optional<LeaseRow> find(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS.list() + " FROM dd_lease WHERE id = :id").bind("id", id).map(LeaseStore::map).findOne();
    }

    /**
     * A lease with the resource it is on and that resource's blueprint, in one statement: what an
     * update of the lease starts from.
     */
    public static Optional<Situation> situation(Handle h, long id) {
        return Optional.ofNullable(situations(h, List.of(id)).get(id));
    }

    /** {@link #situation} of several leases in one statement, by id; a lease that does not exist is absent. */
    private static Map<Long, Situation> situations(Handle h, Collection<Long> ids) {
        Map<Long, Situation> found = new HashMap<>();
        h.createQuery(SITUATIONS).bind("ids", ids.toArray(Long[]::new))
                .map((rs, ctx) -> situationAt(rs, 1))
                .forEach(situation -> found.put(situation.lease().id(), situation));
        return found;
    }

    /** Leases {@code :ids} with their resources and blueprints: {@link #COLUMNS}, then the resource's, then the blueprint's. */
    static final String SITUATIONS = "SELECT " + COLUMNS.qualified("l") + ", " + ResourceStore.COLUMNS.qualified("r") + ", "
            + BlueprintStore.COLUMNS.qualified("b") + """
             FROM dd_lease l
             LEFT JOIN dd_resource r ON r.id = l.resource_id
             LEFT JOIN dd_blueprint b ON b.id = r.blueprint_id
            WHERE l.id =\s""" + BatchArrays.anyOf("ids", "bigint");

    /** A row of {@link #SITUATIONS} whose columns start at {@code first}. */
    private static Situation situationAt(ResultSet rs, int first) throws SQLException {
        LeaseRow lease = map(rs, first);
        int resource = first + COLUMNS.width();
        Optional<ResourceRow> on = ResourceStore.mapIfPresent(rs, resource);
        Optional<ResourceStore.Placed> placed = on.isEmpty() ? Optional.empty()
                : Optional.of(new ResourceStore.Placed(on.get(), BlueprintStore.map(rs, resource + ResourceStore.COLUMNS.width())));
        return new Situation(lease, placed);
    }

    /**
     * Where each of several leases stands ({@link #situations}) and, for the resource types of the
     * PENDING ones, what {@link ResourceStore#offers} would say, in one statement: what a batch of
     * lease updates starts from.
     */
    public static Lookup lookUp(Handle h, Collection<Long> ids) {
        // every batch runs it: JDBC directly (see Jdbc)
        Map<Long, Situation> situations = new HashMap<>();
        Map<String, ResourceStore.OffersGathered> byType = new HashMap<>();
        Instant[] databaseNow = {null};
        Jdbc.query(h, LOOKUP, Map.of("ids", ids.toArray(Long[]::new)), rs -> {
            if (databaseNow[0] == null) {
                databaseNow[0] = rs.getTimestamp("database_now").toInstant();
            }
            if (rs.getInt(1) == 1) {
                Situation situation = situationAt(rs, LOOKUP_FIRST);
                situations.put(situation.lease().id(), situation);
            } else {
                BlueprintRow b = BlueprintStore.map(rs, LOOKUP_OFFERED_BLUEPRINT);
                byType.computeIfAbsent(b.resourceType(), t -> new ResourceStore.OffersGathered())
                        .add(b, ResourceStore.mapIfPresent(rs, LOOKUP_OFFERED_RESOURCE));
            }
            return 0;
        });
        Map<String, ResourceStore.Offers> offers = new HashMap<>();
        situations.values().stream().filter(s -> s.lease().status() == LeaseStatus.PENDING).map(s -> s.lease().resourceType())
                .distinct()
                .forEach(type -> offers.put(type, byType.getOrDefault(type, new ResourceStore.OffersGathered()).offers()));
        // no row (none of the leases exists) leaves nothing to compare a deadline with
        return new Lookup(Map.copyOf(situations), Map.copyOf(offers), Optional.ofNullable(databaseNow[0]).orElse(Instant.EPOCH));
    }

    /**
     * The statement of {@link #lookUp}: {@link #SITUATIONS}, then the offers, in one result. Its
     * columns: the part (1 a situation, 2 an offer) and the offer's rank, then a situation's lease,
     * resource and blueprint columns; an offer leaves the lease's empty and puts its resource and
     * blueprint where a situation has them.
     */
    static final NamedSql LOOKUP = NamedSql.of("WITH s AS (" + SITUATIONS + "),\n"
            + "o (" + BlueprintStore.COLUMNS.numbered("b") + ", " + ResourceStore.COLUMNS.numbered("r") + ", ord) AS (\n"
            + ResourceStore.offersQuery(", row_number() OVER (ORDER BY " + ResourceStore.OFFER_ORDER + ")",
            "b.resource_type IN (SELECT resource_type FROM dd_lease WHERE id = " + BatchArrays.anyOf("ids", "bigint") + " AND status = 'PENDING')") + """
            )
            SELECT 1 AS part, 0::bigint AS ord, s.*, now() AS database_now FROM s
            UNION ALL
            SELECT 2, ord,\s""" + String.join(", ", Collections.nCopies(COLUMNS.width(), "NULL"))
            + ", " + ResourceStore.COLUMNS.numbered("r") + ", " + BlueprintStore.COLUMNS.numbered("b") + ", now() FROM o\n"
            + "ORDER BY part, ord");

    /** Where {@link #LOOKUP}'s lease columns start, after the part and the rank. */
    static final int LOOKUP_FIRST = 3;
    /** Where an offer's resource columns sit in {@link #LOOKUP}: where a situation's resource is. */
    static final int LOOKUP_OFFERED_RESOURCE = LOOKUP_FIRST + COLUMNS.width();
    /** Where an offer's blueprint columns sit in {@link #LOOKUP}: where a situation's blueprint is. */
    static final int LOOKUP_OFFERED_BLUEPRINT = LOOKUP_OFFERED_RESOURCE + ResourceStore.COLUMNS.width();

    /**
     * What {@link #lookUp} found: each lease's situation by id, the offers for the pending ones'
     * resource types, and the database's clock as the statement read them (deadlines are set from it).
     */
    public record Lookup(Map<Long, Situation> situations, Map<String, ResourceStore.Offers> offers, Instant databaseNow) {}

    /** A lease and, once it has one, its resource and blueprint. */
    public record Situation(LeaseRow lease, Optional<ResourceStore.Placed> placed) {}

    /** What a holder sees of a lease, with the name of the blueprint of its resource, in one statement. */
    public static Optional<LeaseInfo> info(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS.list() + """
                        , (SELECT b.name FROM dd_resource r JOIN dd_blueprint b ON b.id = r.blueprint_id WHERE r.id = dd_lease.resource_id)
                        FROM dd_lease WHERE id = :id""")
                .bind("id", id).map((rs, ctx) -> info(map(rs, ctx), Optional.ofNullable(rs.getString(1 + COLUMNS.width())))).findOne();
    }

    /** A release to make: {@link #releaseAll}'s input; an empty owner token is an operator's release. */
    public record Release(long id, Optional<String> ownerToken, String reason) {}

    /** {@link #releaseAll} of one lease: the status it was released from, if it was. */
    public static Optional<LeaseStatus> release(Handle h, Release release, SqlEnqueue followUp) {
        return Optional.ofNullable(releaseAll(h, List.of(release), followUp).get(release.id()));
    }

    /**
     * Releases leases that are not done yet, each if its owner token is empty or matches: the
     * updates, their log rows and notifications in one statement. Each update keeps the status it
     * replaced ({@code released_from}, read from the row as the update locks it), so a transition
     * racing with the release either lands first and is what the release replaces, or waits and
     * then finds the lease released; the task {@code followUp} (whose expressions read the released
     * row as {@code t}) is queued for each in the same statement. Returns, by lease id, the status
     * each released lease was released from; a lease not released (no such lease, another holder's
     * token, or already done) is absent. Only a release before activation notifies: nobody awaits
     * an active lease, and every notification wakes every listening connection of the database.
     * Leases are locked in id order, so two batches do not wait on each other in a cycle; a lease
     * named twice is released once, by the first of them.
     */
    public static Map<Long, LeaseStatus> releaseAll(Handle h, List<Release> releases, SqlEnqueue followUp) {
        // every lease runs it: JDBC directly (see Jdbc)
        String sql = """
                WITH r AS (
                    SELECT DISTINCT ON (id) * FROM unnest((SELECT ?::bigint[]), (SELECT ?::text[]), (SELECT ?::text[])) WITH ORDINALITY
                        AS r(id, owner_token, reason, ord)
                     ORDER BY id, ord),
                t AS (
                    UPDATE dd_lease l SET released_from = l.status, status = 'RELEASED', status_reason = r.reason, updated_at = now(),
                                          version = l.version + 1, released_at = now()
                      FROM r
                     WHERE l.id = r.id AND l.status IN ('PENDING', 'ACQUIRED', 'ACTIVE') AND (r.owner_token IS NULL OR l.owner_token = r.owner_token)
                    RETURNING l.id, l.resource_id, l.released_from AS was, r.reason),
                g AS (
                    INSERT INTO dd_log (lease_id, resource_id, message)
                    SELECT id, resource_id, 'lease ' || id || ' ' || was || ' -> RELEASED: ' || reason FROM t ORDER BY id),
                """ + "q AS (" + followUp.insertFrom("t") + ")\n"
                + "SELECT id, was, CASE WHEN was IN ('PENDING', 'ACQUIRED') THEN pg_notify('" + CHANNEL + "', t.id || ':RELEASED') END, "
                + SqlEnqueue.wakeFor("q") + " FROM t";
        List<Release> byId = releases.stream().sorted(Comparator.comparingLong(Release::id)).toList();
        Map<Long, LeaseStatus> released = new HashMap<>();
        Jdbc.query(h, sql, s -> {
            s.setArray(1, Jdbc.array(s, "bigint", byId, Release::id));
            s.setArray(2, Jdbc.array(s, "text", byId, r -> r.ownerToken().orElse(null)));
            s.setArray(3, Jdbc.array(s, "text", byId, Release::reason));
        }, rs -> released.put(rs.getLong(1), LeaseStatus.valueOf(rs.getString(2))));
        return released;
    }

    /**
     * A page of leases, newest first below {@code beforeId}, with only the filters given; a lease
     * matches {@code blueprintIds} when its resource is of one of them.
     */
    public static List<LeaseRow> page(Handle h, Optional<LeaseStatus> status, Optional<String> resourceType, Optional<Long[]> blueprintIds,
                                      long beforeId, int limit) {
        return new IdPage("SELECT " + COLUMNS.list() + " FROM dd_lease")
                .where("status = :status", "status", status.map(Enum::name))
                .where("resource_type = :type", "type", resourceType)
                .where("resource_id IN (SELECT r.id FROM dd_resource r WHERE r.blueprint_id = ANY(:blueprints))", "blueprints", blueprintIds)
                .newestBelow(h, beforeId, limit).map(LeaseStore::map).list();
    }

    /**
     * Moves a lease from {@code from} to {@code to}; false if it was no longer in {@code from}
     * (another change won the race, and nothing was written).
     */
    public static boolean transition(Handle h, LeaseRow lease, LeaseStatus from, LeaseStatus to, String reason) {
        return transition(h, lease, from, to, reason, "");
    }

    /** As {@link #transition(Handle, LeaseRow, LeaseStatus, LeaseStatus, String)}, also setting columns. */
    public static boolean transition(Handle h, LeaseRow lease, LeaseStatus from, LeaseStatus to, String reason, String extraSets) {
        return transition(h, lease, from, to, reason, extraSets, Map.of(), List.of());
    }

    /**
     * The general transition: one statement with the guarded update (also setting {@code extraSets}
     * and merging {@code leaseAttributes}), the log rows ({@code logLines} a blueprint step recorded,
     * then the transition's own) and, for the states a holder waits for, the notification. Being
     * one statement, it needs no transaction of its own.
     */
    public static boolean transition(Handle h, LeaseRow lease, LeaseStatus from, LeaseStatus to, String reason, String extraSets,
                                     Map<String, String> leaseAttributes, List<String> logLines) {
        return !transitionAll(h, from, to, extraSets, List.of(new Move(lease.id(), reason, leaseAttributes, logLines))).isEmpty();
    }

    /** One lease's part in {@link #transitionAll}: why it moves, and what a blueprint step recorded for it. */
    public record Move(long leaseId, String reason, Map<String, String> leaseAttributes, List<String> logLines) {}

    /**
     * {@link #transition(Handle, LeaseRow, LeaseStatus, LeaseStatus, String, String, Map, List)} of
     * several leases from one status to another, in one statement; returns the ids of those that
     * moved (the others were no longer in {@code from}, and nothing was written for them).
     */
    public static Set<Long> transitionAll(Handle h, LeaseStatus from, LeaseStatus to, String extraSets, List<Move> moves) {
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException("no lease transition " + from + " -> " + to);
        }
        TransitionLog log = new TransitionLog();
        moves.forEach(m -> log.add(m.leaseId(), m.logLines(), "lease " + m.leaseId() + " " + from + " -> " + to + ": " + m.reason()));
        boolean anyAttributes = moves.stream().anyMatch(m -> !m.leaseAttributes().isEmpty());
        String attributes = anyAttributes ? ", lease_attributes = lease_attributes || c.attributes::jsonb" : "";
        String result = wakesHolder(to) ? "pg_notify('" + CHANNEL + "', id || ':" + to.name() + "')" : "id::text";
        Set<Long> moved = new HashSet<>();
        log.bindTo(h.createQuery("WITH c AS (SELECT * FROM " + BatchArrays.unnest("ids::bigint", "reasons::text", "attributes::text") + " AS c(id, reason, attributes)),"
                        // the statuses are written in, not bound: a custom plan for bound ones would know them
                        // and the generic plan would not, and the plan cache would plan every batch anew
                        + " t AS (UPDATE dd_lease SET status = '" + to.name() + "', status_reason = c.reason, updated_at = now(), version = version + 1"
                        + extraSets + attributes + " FROM c WHERE dd_lease.id = c.id AND status = '" + from.name() + "' RETURNING dd_lease.id, resource_id),"
                        + " g AS (" + TransitionLog.insertFor("t") + ")"
                        + " SELECT id, " + result + " FROM t"))
                .bind("ids", moves.stream().map(Move::leaseId).toArray(Long[]::new))
                .bind("reasons", moves.stream().map(Move::reason).toArray(String[]::new))
                .bind("attributes", moves.stream().map(m -> Json.write(m.leaseAttributes())).toArray(String[]::new))
                .map((rs, ctx) -> rs.getLong(1))
                .forEach(moved::add);
        return moved;
    }

    /**
     * Holders wait for a lease to become active or to end ({@code Lease.await}); the steps in between
     * (ACQUIRED, back to PENDING) would only wake them to read the row and sleep again, and a
     * waiter has returned before DESTROYED, which always follows RELEASED or BROKEN.
     */
    private static boolean wakesHolder(LeaseStatus to) {
        return to == LeaseStatus.ACTIVE || to == LeaseStatus.RELEASED || to == LeaseStatus.BROKEN;
    }

    /** Records why a pending lease still waits, without changing its status. */
    public static void waiting(Handle h, long leaseId, String reason) {
        h.createUpdate("""
                        UPDATE dd_lease SET status_reason = :reason, waits = waits + 1, updated_at = now()
                        WHERE id = :id AND status = 'PENDING'""")
                .bind("reason", reason).bind("id", leaseId).execute();
    }

    /** Says why a lease is where it is, without a transition, if it is still {@code status}. */
    public static void setReason(Handle h, long leaseId, LeaseStatus status, String reason) {
        h.createUpdate("UPDATE dd_lease SET status_reason = :reason, updated_at = now() WHERE id = :id AND status = :s::dd_lease_status")
                .bind("reason", reason).bind("id", leaseId).bind("s", status.name()).execute();
    }

    /**
     * Records that a step of a lease that has not ended failed: {@code reason} replaces its status
     * reason, and its count of waits grows (the engine's backoff reads it). False when the lease
     * has ended or is gone.
     */
    public static boolean failing(Handle h, long leaseId, String reason) {
        return h.createUpdate("""
                        UPDATE dd_lease SET status_reason = :reason, waits = waits + 1, updated_at = now()
                        WHERE id = :id AND status IN ('PENDING', 'ACQUIRED', 'RELEASED', 'BROKEN')""")
                .bind("reason", reason).bind("id", leaseId).execute() == 1;
    }

    public static void setBuilding(Handle h, long leaseId, Long resourceId) {
        h.createUpdate("UPDATE dd_lease SET building_resource_id = :r WHERE id = :id").bind("r", resourceId).bind("id", leaseId).execute();
    }

    public static void setLeaseAttributes(Handle h, long leaseId, Map<String, String> attributes) {
        if (!attributes.isEmpty()) {
            h.createUpdate("UPDATE dd_lease SET lease_attributes = lease_attributes || :a::jsonb WHERE id = :id")
                    .bind("a", Json.write(attributes)).bind("id", leaseId).execute();
        }
    }

    /**
     * The oldest pending leases of a resource type that have waited at least once: the ones to wake
     * when room appears. One that never waited has its first update queued already.
     */
    public static List<Long> oldestPending(Handle h, String resourceType, int limit) {
        return h.createQuery(OLDEST_PENDING).bind("rt", resourceType).bind("wake", limit).mapTo(Long.class).list();
    }

    /**
     * The query of {@link #oldestPending}, for statements that also find them (parameters {@code :rt}, {@code :wake}).
     * The limit sits behind a subquery for the reason of {@link BatchArrays}: a plan made for its value
     * looked cheaper than one made without, by as much as a crowd of waiting leases is large, so
     * the clean-up's statement was planned anew for nearly every batch under load.
     */
    static final String OLDEST_PENDING =
            "SELECT id FROM dd_lease WHERE status = 'PENDING' AND resource_type = :rt AND waits > 0 ORDER BY id LIMIT (SELECT :wake::int)";

    /**
     * Up to {@code limit} leases still waiting for a resource of {@code type} that blueprint
     * {@code blueprintName} may serve, oldest first.
     */
    public static List<LeaseRow> waitingFor(Handle h, String type, String blueprintName, int limit) {
        return h.createQuery("SELECT " + COLUMNS.list() + " FROM dd_lease WHERE status = 'PENDING' AND resource_type = :type"
                        + " AND (allowed_blueprints = '{}' OR :blueprint = ANY (allowed_blueprints)) ORDER BY id LIMIT :limit")
                .bind("type", type).bind("blueprint", blueprintName).bind("limit", limit).map(LeaseStore::map).list();
    }

    /**
     * The leases ahead in line for room of {@code type} for a lease with id {@code beforeId}: up to
     * {@code limit} older single leases that have waited at least once and are not past their
     * deadline, oldest first (the fairness rule, docs/planner.md "Fairness").
     */
    public static List<LeaseRow> aheadInLine(Handle h, String type, long beforeId, int limit) {
        return h.createQuery("SELECT " + COLUMNS.list() + " FROM dd_lease WHERE status = 'PENDING' AND resource_type = :type"
                        + " AND id < :before AND waits > 0 AND gang_id IS NULL AND acquire_deadline > now()"
                        + " ORDER BY id LIMIT (SELECT :limit::int)")
                .bind("type", type).bind("before", beforeId).bind("limit", limit).map(LeaseStore::map).list();
    }

    public static List<Long> buildingOn(Handle h, long resourceId) {
        return h.createQuery("SELECT id FROM dd_lease WHERE building_resource_id = :r AND status = 'PENDING'")
                .bind("r", resourceId).mapTo(Long.class).list();
    }

    public static LeaseInfo info(LeaseRow r, Optional<String> blueprintName) {
        return new LeaseInfo(r.id(), r.status(), r.resourceType(), r.resourceId(), blueprintName, r.statusReason(), r.attributes(),
                r.leaseAttributes(),
                r.createdAt(), r.activatedAt(), r.expiresAt(), r.acquireDeadline());
    }

    static LeaseRow map(ResultSet rs, StatementContext ctx) throws SQLException {
        return map(rs, 1);
    }

    /** Reads a lease from {@link #COLUMNS} starting at column {@code first}. */
    static LeaseRow map(ResultSet rs, int first) throws SQLException {
        return new LeaseRow(rs.getLong(first + ID), rs.getString(first + OWNER_TOKEN), rs.getString(first + RESOURCE_TYPE),
                Json.stringMap(rs.getString(first + ATTRIBUTES)), Arrays.asList((String[]) rs.getArray(first + ALLOWED_BLUEPRINTS).getArray()),
                LeaseStatus.valueOf(rs.getString(first + STATUS)), rs.getString(first + STATUS_REASON), optionalLong(rs, first + RESOURCE_ID),
                optionalLong(rs, first + BUILDING_RESOURCE_ID), Json.stringMap(rs.getString(first + LEASE_ATTRIBUTES)),
                optionalLong(rs, first + TTL_MS), rs.getTimestamp(first + ACQUIRE_DEADLINE).toInstant(), rs.getInt(first + WAITS),
                rs.getTimestamp(first + CREATED_AT).toInstant(), instant(rs.getTimestamp(first + ACTIVATED_AT)),
                instant(rs.getTimestamp(first + EXPIRES_AT)), optionalLong(rs, first + GANG_ID));
    }

    private static Optional<Long> optionalLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }

    private static Optional<Instant> instant(Timestamp t) {
        return Optional.ofNullable(t).map(Timestamp::toInstant);
    }
}
