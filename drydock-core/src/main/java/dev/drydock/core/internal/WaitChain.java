package dev.drydock.core.internal;

import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.core.WaitLink;
import dev.drydock.core.internal.engine.LiveTypes;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.BlueprintStore;
import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.core.internal.store.ResourceRow;
import dev.drydock.core.internal.store.ResourceStore;
import dev.drydock.core.internal.store.SubLeaseStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Explains a lease that is not active through the chain it waits on (DESIGN §11): the resource
 * being built or prepared for it, then each of that resource's sub-leases that is not active (those
 * of the resource, and those it took for this lease alone), and what each of those waits on in turn. Reads only the rows on the chain.
 */
public final class WaitChain {
    private static final int MAX_DEPTH = 16;

    private WaitChain() {}

    public static List<WaitLink> of(Handle h, long leaseId) {
        List<WaitLink> links = new ArrayList<>();
        Set<String> live = LiveTypes.of(h);
        LeaseStore.find(h, leaseId).ifPresent(lease -> {
            gang(h, lease).ifPresent(links::add);
            follow(h, lease, 0, links, live);
        });
        return links;
    }

    /**
     * A member of a gang not yet active waits with its gang, whatever its own step: the gang's status
     * and why it waits (docs/planner.md).
     */
    private static Optional<WaitLink> gang(Handle h, LeaseRow lease) {
        if (lease.status() != LeaseStatus.PENDING && lease.status() != LeaseStatus.ACQUIRED) {
            return Optional.empty();
        }
        return lease.gangId().flatMap(id -> dev.drydock.core.internal.store.GangStore.find(h, id))
                .map(g -> new WaitLink(0, "it is one of the " + g.size() + " members of gang " + g.id() + ", which become active together or"
                        + " not at all; the gang is " + g.status() + ": " + g.statusReason() + " (deadline " + g.acquireDeadline() + ")"));
    }

    private static void follow(Handle h, LeaseRow lease, int depth, List<WaitLink> links, Set<String> live) {
        Optional<Long> on = switch (lease.status()) {
            case PENDING -> lease.buildingResourceId();
            case ACQUIRED -> lease.resourceId();
            default -> Optional.empty();
        };
        Optional<ResourceRow> resource = on.flatMap(id -> ResourceStore.find(h, id));
        if (resource.isEmpty() || depth >= MAX_DEPTH) {
            return;
        }
        ResourceRow r = resource.get();
        Optional<BlueprintRow> blueprint = BlueprintStore.byId(h, r.blueprintId());
        String unrun = blueprint.map(BlueprintRow::type).filter(type -> !live.contains(type))
                .map(type -> "; no running taskmaster has blueprint type " + type + ", so nothing works on it: start one with it registered")
                .orElse("");
        links.add(new WaitLink(depth, "resource " + r.id() + blueprint.map(b -> " of blueprint " + b.name()).orElse("") + " is " + r.status()
                + ": " + r.statusReason() + unrun));
        if (r.status() != ResourceStatus.PENDING && r.status() != ResourceStatus.ACTIVE) {
            return;
        }
        for (SubLeaseStore.Owned owned : SubLeaseStore.of(h, r.id())) {
            LeaseRow sub = owned.lease();
            if (sub.status() == LeaseStatus.ACTIVE || owned.forLease().filter(id -> id != lease.id()).isPresent()) {
                continue;
            }
            links.add(new WaitLink(depth + 1, "its sub-lease '" + owned.name() + "' (lease " + sub.id() + ", a " + sub.resourceType() + ") is "
                    + sub.status() + ": " + sub.statusReason()));
            follow(h, sub, depth + 2, links, live);
        }
    }
}
