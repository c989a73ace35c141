package dev.drydock.core.internal.store;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Exclusive slots (DESIGN §4): a slot is taken by inserting its {@code dd_slot_lock} row, whose key
 * is the slot in the namespace it is exclusive in, so that kinds of slots never collide:
 * {@code blueprint-B:SLOT} among the resources of blueprint B (a pool's hosts), and
 * {@code resource-R:GROUP:SLOT} among the leases of resource R (a webroot's ports). A group has no
 * {@code :}, so no two namespaces share a prefix.
 */
public final class SlotLocks {
    private SlotLocks() {}

    /** The namespace of blueprint {@code blueprintId}'s resource slots. */
    static String ofBlueprint(long blueprintId) {
        return "blueprint-" + blueprintId + ":";
    }

    /** The namespace of resource {@code resourceId}'s lease slots of {@code group}. */
    static String ofResource(long resourceId, String group) {
        return "resource-" + resourceId + ":" + group + ":";
    }

    /**
     * The statement that inserts the first slot of {@code :slots} that is free in namespace
     * {@code :prefix}, owned by {@code :owner} through {@code ownerColumn}, in {@code order} (over
     * {@code s.k}, the slot, and {@code s.ord}, its place in the array), when {@code only} holds, and
     * returns its key. A slot that a racing transaction takes between the check and the insert is not
     * taken: nothing is, and the caller may try again.
     */
    static String takeFirstFree(String ownerColumn, String only, String order) {
        return """
                INSERT INTO dd_slot_lock (lock_key, %s)
                SELECT :prefix || s.k, :owner FROM unnest(:slots) WITH ORDINALITY AS s(k, ord)
                WHERE NOT EXISTS (SELECT 1 FROM dd_slot_lock l WHERE l.lock_key = :prefix || s.k) AND %s
                ORDER BY %s
                LIMIT 1
                ON CONFLICT DO NOTHING
                RETURNING lock_key""".formatted(ownerColumn, only, order);
    }

    /**
     * What {@link #takeForLease} found: whether the lease still holds its share of the resource, the
     * slot it holds or took (without its namespace), and how many of the choices were free.
     */
    public record LeaseTake(boolean holdsShare, Optional<String> slot, long free) {
        /** Nothing was taken although a choice looked free: a racing lease took it first. */
        public boolean lostRace() {
            return holdsShare && slot.isEmpty() && free > 0;
        }
    }

    /**
     * In one statement (run it on its own, autocommit: the lock is then visible to the resource's
     * other leases at once): the slot of {@code group} that lease {@code leaseId} holds on resource
     * {@code resourceId}, or else the first free one of {@code choices}, taken for it with a log
     * row; nothing unless the lease is ACQUIRED on that resource.
     */
    public static LeaseTake takeForLease(Handle h, long leaseId, long resourceId, String group, List<String> choices) {
        String prefix = ofResource(resourceId, group);
        return h.createQuery("WITH mine AS (SELECT status = 'ACQUIRED' AND resource_id = :resource AS holds FROM dd_lease WHERE id = :owner),\n"
                        + "held AS (SELECT lock_key FROM dd_slot_lock WHERE owner_lease_id = :owner AND starts_with(lock_key, :prefix)),\n"
                        + "taken AS (" + takeFirstFree("owner_lease_id", "(SELECT holds FROM mine) AND NOT EXISTS (SELECT 1 FROM held)", "s.ord")
                        + "),\n"
                        + """
                        logged AS (INSERT INTO dd_log (lease_id, resource_id, message)
                                   SELECT :owner, :resource, 'lease ' || :owner::text || ' took slot ' || :group || '='
                                          || substr(lock_key, length(:prefix) + 1) || ' of resource ' || :resource::text FROM taken)
                        SELECT coalesce((SELECT holds FROM mine), false),
                               coalesce((SELECT lock_key FROM held LIMIT 1), (SELECT lock_key FROM taken)),
                               (SELECT count(*) FROM unnest(:slots) AS f(k)
                                 WHERE NOT EXISTS (SELECT 1 FROM dd_slot_lock l WHERE l.lock_key = :prefix || f.k))""")
                .bind("owner", leaseId).bind("resource", resourceId).bind("prefix", prefix).bind("group", group)
                .bind("slots", choices.toArray(String[]::new))
                .map((rs, ctx) -> {
                    boolean holds = rs.getBoolean(1);
                    Optional<String> slot = Optional.ofNullable(rs.getString(2)).filter(k -> holds).map(k -> k.substring(prefix.length()));
                    return new LeaseTake(holds, slot, rs.getLong(3));
                })
                .one();
    }
}
