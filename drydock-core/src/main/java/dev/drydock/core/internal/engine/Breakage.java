package dev.drydock.core.internal.engine;

import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.core.internal.store.ResourceRow;
import dev.drydock.core.internal.store.ResourceStore;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * Breaking an active resource, in one transaction with everything that must change with it: its
 * acquired leases go back to waiting (their capacity returned) to be served elsewhere, its active
 * leases break naming the resource and the reason, and the resource is queued for destruction.
 */
final class Breakage {
    private Breakage() {}

    /**
     * Locks the leases on the resource first and the resource after, the order {@code LeaseCapacity}
     * takes them in (docs/architecture.md decision 3), so the two never wait on each other in a
     * cycle. A lease that took a share between the two locks is read again after the resource's
     * change, which no further lease can join.
     */
    static boolean breakResource(Handle h, Engine engine, ResourceRow resource, String reason) {
        List<Long> locked = leasesOn(h, resource.id());
        if (!ResourceStore.transition(h, resource, ResourceStatus.ACTIVE, ResourceStatus.BROKEN, reason)) {
            return false;
        }
        Set<Long> leaseIds = new TreeSet<>(locked);
        leaseIds.addAll(leasesOn(h, resource.id()));
        for (long id : leaseIds) {
            LeaseRow lease = LeaseStore.find(h, id).orElseThrow();
            if (lease.status() == LeaseStatus.ACQUIRED) {
                if (LeaseStore.transition(h, lease, LeaseStatus.ACQUIRED, LeaseStatus.PENDING,
                        "its resource " + resource.id() + " broke before it was ready (" + reason + "); waiting to be served elsewhere",
                        ", resource_id = NULL")) {
                    ResourceStore.releaseLease(h, resource.id());
                }
            } else if (lease.status() == LeaseStatus.ACTIVE) {
                LeaseStore.transition(h, lease, LeaseStatus.ACTIVE, LeaseStatus.BROKEN,
                        "its resource " + resource.id() + " broke: " + reason);
            }
            engine.tasks().updateLease(h, id);
        }
        engine.tasks().updateResource(h, resource.id()); // destroy it; breaking frees no room worth waking others for
        return true;
    }

    /**
     * Breaks a resource being built, queues its destruction and wakes the leases waiting for it
     * (they look elsewhere); false if it was no longer PENDING.
     */
    static boolean breakPending(Handle h, Engine engine, ResourceRow resource, String reason) {
        if (!ResourceStore.transition(h, resource, ResourceStatus.PENDING, ResourceStatus.BROKEN, reason)) {
            return false;
        }
        engine.tasks().updateResource(h, resource.id());
        engine.tasks().updateLeases(h, LeaseStore.buildingOn(h, resource.id()));
        return true;
    }

    private static List<Long> leasesOn(Handle h, long resourceId) {
        return h.createQuery("SELECT id FROM dd_lease WHERE resource_id = :r AND status IN ('ACQUIRED', 'ACTIVE') ORDER BY id FOR UPDATE")
                .bind("r", resourceId).mapTo(Long.class).list();
    }
}
