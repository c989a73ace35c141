package dev.drydock.core.internal.engine;

import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.ResourceRow;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The FIFO rule's check for a single lease (docs/planner.md, "Admission"): where a gang older
 * than the lease waits for room on a blueprint (its head gang), the lease may take room there only
 * if the room left afterwards still covers the gang's need. Costs nothing where no gang waits: the
 * hold comes with the blueprint row the offers already read.
 */
final class GangHolds {
    private GangHolds() {}

    /**
     * Whether lease {@code leaseId} may take a place on an existing resource of {@code b}: no older
     * gang holds it, or the room left afterwards still covers the places the gang needs. Room is
     * counted in lease places: those free on the offered resources ({@code free} of each) and those
     * the limit's headroom could still build ({@code capacity} each).
     */
    static boolean leavesPlaces(BlueprintRow b, long leaseId, List<ResourceRow> offered, ToIntFunction<ResourceRow> free, int capacity) {
        return !b.heldFor(leaseId) || room(b, offered, free, capacity) - 1 >= need(b);
    }

    /** As {@link #leavesPlaces}, for a resource built for the lease: the whole new resource counts as taken. */
    static boolean leavesBuild(BlueprintRow b, long leaseId, List<ResourceRow> offered, int capacity) {
        return !b.heldFor(leaseId) || room(b, offered, r -> r.capacity() - r.activeLeases(), capacity) - capacity >= need(b);
    }

    private static long room(BlueprintRow b, List<ResourceRow> offered, ToIntFunction<ResourceRow> free, int capacity) {
        long places = offered.stream().filter(r -> r.blueprintId() == b.id()).mapToInt(free).sum();
        return places + (long) Math.max(0, b.resourceLimit() - b.resourceCount()) * capacity;
    }

    private static int need(BlueprintRow b) {
        return b.gangHoldPlaces() + b.gangHoldBuilds();
    }

    /** Why a lease does not take room on {@code b}: for its status reason and `why`. */
    static String heldBack(BlueprintRow b) {
        return b.name() + ": an older gang waits for room there for " + need(b) + " lease(s) at once; younger requests backfill only"
                + " the room beyond that";
    }
}
