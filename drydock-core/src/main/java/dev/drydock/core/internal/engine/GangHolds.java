package dev.drydock.core.internal.engine;

import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.ResourceRow;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The FIFO rule's check for a single lease (docs/planner-gangs.md, "Admission"): where a gang older
 * than the lease waits for room on a blueprint (its head gang), the lease may take room there only
 * if the room left afterwards still covers the gang's need. Costs nothing where no gang waits: the
 * hold comes with the blueprint row the offers already read.
 */
final class GangHolds {
    private GangHolds() {}

    /**
     * Whether lease {@code leaseId} may take a place on a resource of {@code b}: no older gang holds
     * it, or the free places left on its offered resources ({@code free} of each) after this one
     * still cover the places the gang needs.
     */
    static boolean leavesPlaces(BlueprintRow b, long leaseId, List<ResourceRow> offered, ToIntFunction<ResourceRow> free) {
        if (!b.heldFor(leaseId)) {
            return true;
        }
        int room = offered.stream().filter(r -> r.blueprintId() == b.id()).mapToInt(free).sum();
        return room - 1 >= b.gangHoldPlaces();
    }

    /** Whether lease {@code leaseId} may have a resource of {@code b} built: the limit's room left after it covers the head gang's builds. */
    static boolean leavesBuilds(BlueprintRow b, long leaseId) {
        return !b.heldFor(leaseId) || b.resourceLimit() - b.resourceCount() - 1 >= b.gangHoldBuilds();
    }

    /** Why a lease does not take room on {@code b}: for its status reason and `why`. */
    static String heldBack(BlueprintRow b) {
        return b.name() + ": an older gang waits for room there (it needs " + b.gangHoldPlaces() + " place(s) and " + b.gangHoldBuilds()
                + " new resource(s)); younger requests backfill only what is left over";
    }
}
