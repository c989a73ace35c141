package dev.drydock.core.internal.store;

import dev.drydock.api.LeaseStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * The rows of sub-leases (migration V9): leases owned by a resource, under a name its blueprint
 * gave. Every query here reads the owner's named leases through the unique index on
 * {@code (owner_resource_id, owner_name)}, never the lease history.
 */
public final class SubLeaseStore {
    private SubLeaseStore() {}

    /**
     * A current sub-lease: the lease, the name its owner gave it, and the owner's lease it serves
     * alone, if it was taken while that lease was prepared (migration V14).
     */
    public record Owned(String name, LeaseRow lease, Optional<Long> forLease) {}

    /**
     * Marks a lease just inserted as {@code ownerId}'s, named {@code name}, serving the owner's lease
     * {@code forLease} alone if given; fails on the unique index if the name is taken.
     */
    public static void own(Handle h, long leaseId, long ownerId, String name, Optional<Long> forLease) {
        h.createUpdate("UPDATE dd_lease SET owner_resource_id = :owner, owner_name = :name, for_lease_id = :for WHERE id = :id")
                .bind("owner", ownerId).bind("name", name).bind("for", forLease.orElse(null)).bind("id", leaseId).execute();
    }

    public static Optional<LeaseRow> named(Handle h, long ownerId, String name) {
        return h.createQuery("SELECT " + LeaseStore.COLUMNS.list() + " FROM dd_lease WHERE owner_resource_id = :owner AND owner_name = :name")
                .bind("owner", ownerId).bind("name", name).map(LeaseStore::map).findOne();
    }

    /** The owner's current sub-leases, in id order. */
    public static List<Owned> of(Handle h, long ownerId) {
        return h.createQuery("SELECT owner_name, for_lease_id, " + LeaseStore.COLUMNS.list()
                        + " FROM dd_lease WHERE owner_resource_id = :owner AND owner_name IS NOT NULL ORDER BY id")
                .bind("owner", ownerId).map((rs, ctx) -> owned(rs)).list();
    }

    /**
     * For each of {@code leaseIds}, the first sub-lease taken for it alone that ended without its
     * owner letting it go (it broke, or someone else released it).
     */
    public static java.util.Map<Long, Owned> endedFor(Handle h, java.util.Collection<Long> leaseIds) {
        java.util.Map<Long, Owned> ended = new java.util.HashMap<>();
        h.createQuery("SELECT owner_name, for_lease_id, " + LeaseStore.COLUMNS.list() + " FROM dd_lease"
                        + " WHERE for_lease_id = ANY(:ids) AND owner_name IS NOT NULL AND status IN ('BROKEN', 'RELEASED', 'DESTROYED') ORDER BY id")
                .bind("ids", leaseIds.stream().mapToLong(Long::longValue).toArray()).map((rs, ctx) -> owned(rs))
                .forEach(o -> ended.putIfAbsent(o.forLease().orElseThrow(), o));
        return ended;
    }

    private static Owned owned(java.sql.ResultSet rs) throws java.sql.SQLException {
        long forLease = rs.getLong(2);
        Optional<Long> served = rs.wasNull() ? Optional.empty() : Optional.of(forLease); // before other columns are read
        return new Owned(rs.getString(1), LeaseStore.map(rs, 3), served);
    }

    /**
     * The first of the owner's current sub-leases that ended without the owner letting it go
     * (it broke, or someone else released it), if any.
     */
    public static Optional<Owned> firstEnded(Handle h, long ownerId) {
        return of(h, ownerId).stream()
                .filter(o -> o.forLease().isEmpty()) // one lease's concern, not the owner's
                .filter(o -> o.lease().status() == LeaseStatus.BROKEN || o.lease().status() == LeaseStatus.RELEASED
                        || o.lease().status() == LeaseStatus.DESTROYED)
                .findFirst();
    }

    /**
     * Lets the owner's sub-leases go (all of them, or the one named {@code name}): their names are
     * cleared, locked in id order, so that the release that follows neither wakes the owner nor
     * counts as someone else's. Returns their ids.
     */
    public static List<Long> disown(Handle h, long ownerId, Optional<String> name) {
        return h.createQuery("""
                        WITH o AS (SELECT id FROM dd_lease WHERE owner_resource_id = :owner AND owner_name IS NOT NULL
                                     AND (:name::text IS NULL OR owner_name = :name) ORDER BY id FOR UPDATE)
                        UPDATE dd_lease l SET owner_name = NULL FROM o WHERE l.id = o.id RETURNING l.id""")
                .bind("owner", ownerId).bind("name", name.orElse(null)).mapTo(Long.class).list();
    }

    /**
     * The resource types up the chain from resource {@code resourceId}, at most {@code depth}
     * steps up: its own, and those of every resource that holds a live lease on it or had it built
     * for one of its sub-leases, and so on. {@code causeAttribute} names the resource attribute that
     * records the lease a resource was built for.
     */
    public static Set<String> typesAbove(Handle h, long resourceId, String causeAttribute, int depth) {
        return new TreeSet<>(h.createQuery("""
                        WITH RECURSIVE up(id, depth) AS (
                            SELECT CAST(:r AS bigint), 0
                          UNION
                            SELECT p.owner, up.depth + 1 FROM up CROSS JOIN LATERAL (
                                SELECT l.owner_resource_id AS owner FROM dd_lease l
                                 WHERE l.resource_id = up.id AND l.status IN ('ACQUIRED', 'ACTIVE', 'RELEASED')
                                UNION ALL
                                SELECT l.owner_resource_id FROM dd_resource r JOIN dd_lease l ON l.id = (r.attributes ->> :cause)::bigint
                                 WHERE r.id = up.id) p
                            WHERE p.owner IS NOT NULL AND up.depth < :depth)
                        SELECT DISTINCT r.resource_type FROM up JOIN dd_resource r ON r.id = up.id""")
                .bind("r", resourceId).bind("cause", causeAttribute).bind("depth", depth).mapTo(String.class).list());
    }
}
