package dev.drydock.core.internal.store;

import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseStatus;
import dev.drydock.core.internal.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Stored leases and their transitions. Every transition is guarded by the status it expects, writes
 * a log row and NOTIFYs {@link #CHANNEL} with the lease id, all in the caller's transaction, so a
 * waiting holder wakes exactly when the change commits.
 */
public final class LeaseStore {
    public static final String CHANNEL = "drydock_lease";
    private static final String COLUMNS = """
            id, owner_token, resource_type, attributes::text, allowed_blueprints, status, status_reason, resource_id,
            building_resource_id, lease_attributes::text, ttl_ms, acquire_deadline, waits, created_at, activated_at, expires_at""";

    private LeaseStore() {}

    public static long insert(Handle h, String ownerToken, String resourceType, Map<String, String> attributes,
                              List<String> allowedBlueprints, Long ttlMs, long deadlineMs) {
        long id = h.createQuery("""
                        INSERT INTO dd_lease (owner_token, resource_type, attributes, allowed_blueprints, status, status_reason,
                                              ttl_ms, acquire_deadline)
                        VALUES (:token, :rt, :attrs::jsonb, :allowed, 'PENDING', 'requested; waiting for a taskmaster to allocate it',
                                :ttl, now() + :deadline * interval '1 millisecond')
                        RETURNING id""")
                .bind("token", ownerToken).bind("rt", resourceType).bind("attrs", Json.write(attributes))
                .bind("allowed", allowedBlueprints.toArray(String[]::new)).bind("ttl", ttlMs).bind("deadline", deadlineMs)
                .mapTo(Long.class).one();
        EventLog.lease(h, id, null, "lease " + id + " requested: " + resourceType + (attributes.isEmpty() ? "" : " " + attributes));
        return id;
    }

    public static Optional<LeaseRow> find(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM dd_lease WHERE id = :id").bind("id", id).map(LeaseStore::map).findOne();
    }

    public static List<LeaseRow> list(Handle h, Optional<LeaseStatus> status, int limit) {
        return h.createQuery("SELECT " + COLUMNS + " FROM dd_lease WHERE (:s::text IS NULL OR status = :s) ORDER BY id DESC LIMIT :n")
                .bind("s", status.map(Enum::name).orElse(null)).bind("n", limit).map(LeaseStore::map).list();
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
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException("lease " + lease.id() + ": no transition " + from + " -> " + to);
        }
        int n = h.createUpdate("UPDATE dd_lease SET status = :to, status_reason = :reason, updated_at = now(), version = version + 1"
                        + extraSets + " WHERE id = :id AND status = :from")
                .bind("to", to.name()).bind("reason", reason).bind("id", lease.id()).bind("from", from.name()).execute();
        if (n == 1) {
            EventLog.lease(h, lease.id(), lease.resourceId().orElse(null), "lease " + lease.id() + " " + from + " -> " + to + ": " + reason);
            notifyChange(h, lease.id());
        }
        return n == 1;
    }

    /** Records why a pending lease still waits, without changing its status. */
    public static void waiting(Handle h, long leaseId, String reason) {
        h.createUpdate("""
                        UPDATE dd_lease SET status_reason = :reason, waits = waits + 1, updated_at = now()
                        WHERE id = :id AND status = 'PENDING'""")
                .bind("reason", reason).bind("id", leaseId).execute();
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

    /** The oldest pending leases of a resource type: the ones to wake when room appears. */
    public static List<Long> oldestPending(Handle h, String resourceType, int limit) {
        return h.createQuery("SELECT id FROM dd_lease WHERE status = 'PENDING' AND resource_type = :rt ORDER BY id LIMIT :n")
                .bind("rt", resourceType).bind("n", limit).mapTo(Long.class).list();
    }

    public static List<Long> buildingOn(Handle h, long resourceId) {
        return h.createQuery("SELECT id FROM dd_lease WHERE building_resource_id = :r AND status = 'PENDING'")
                .bind("r", resourceId).mapTo(Long.class).list();
    }

    public static void notifyChange(Handle h, long leaseId) {
        h.createQuery("SELECT pg_notify('" + CHANNEL + "', :id)").bind("id", Long.toString(leaseId)).mapTo(String.class).one();
    }

    public static LeaseInfo info(LeaseRow r, Optional<String> blueprintName) {
        return new LeaseInfo(r.id(), r.status(), r.resourceType(), r.resourceId(), blueprintName, r.statusReason(), r.attributes(),
                r.createdAt(), r.activatedAt(), r.expiresAt(), r.acquireDeadline());
    }

    static LeaseRow map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new LeaseRow(rs.getLong(1), rs.getString(2), rs.getString(3), Json.stringMap(rs.getString(4)),
                Arrays.asList((String[]) rs.getArray(5).getArray()), LeaseStatus.valueOf(rs.getString(6)), rs.getString(7),
                optionalLong(rs, 8), optionalLong(rs, 9), Json.stringMap(rs.getString(10)), optionalLong(rs, 11),
                rs.getTimestamp(12).toInstant(), rs.getInt(13), rs.getTimestamp(14).toInstant(), instant(rs.getTimestamp(15)),
                instant(rs.getTimestamp(16)));
    }

    private static Optional<Long> optionalLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }

    private static Optional<Instant> instant(Timestamp t) {
        return Optional.ofNullable(t).map(Timestamp::toInstant);
    }
}
