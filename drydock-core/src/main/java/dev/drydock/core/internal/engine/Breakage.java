package dev.drydock.core.internal.engine;

import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.core.internal.store.ResourceRow;
import dev.drydock.core.internal.store.ResourceStore;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Breaking an active resource, in one transaction with everything that must change with it: its
 * acquired leases go back to waiting (their capacity returned) to be served elsewhere, its active
 * leases break naming the resource and the reason, and the resource is queued for destruction.
 */
final class Breakage {
    private Breakage() {}

    static boolean breakResource(Handle h, Engine engine, ResourceRow resource, String reason) {
        if (!ResourceStore.transition(h, resource, ResourceStatus.ACTIVE, ResourceStatus.BROKEN, reason)) {
            return false;
        }
        List<Long> leaseIds = h.createQuery("SELECT id FROM dd_lease WHERE resource_id = :r AND status IN ('ACQUIRED', 'ACTIVE') FOR UPDATE")
                .bind("r", resource.id()).mapTo(Long.class).list();
        for (long id : leaseIds) {
            LeaseRow lease = LeaseStore.find(h, id).orElseThrow();
            if (lease.status() == LeaseStatus.ACQUIRED) {
                if (LeaseStore.transition(h, lease, LeaseStatus.ACQUIRED, LeaseStatus.PENDING,
                        "its resource " + resource.id() + " broke before it was ready (" + reason + "); waiting to be served elsewhere",
                        ", resource_id = NULL")) {
                    ResourceStore.releaseLease(h, resource.id());
                }
            } else {
                LeaseStore.transition(h, lease, LeaseStatus.ACTIVE, LeaseStatus.BROKEN,
                        "its resource " + resource.id() + " broke: " + reason);
            }
            engine.tasks().updateLease(h, id);
        }
        engine.tasks().updateResource(h, resource.id()); // destroy it; breaking frees no room worth waking others for
        return true;
    }
}
