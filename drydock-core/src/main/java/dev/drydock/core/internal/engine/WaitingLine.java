package dev.drydock.core.internal.engine;

import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.core.internal.store.ResourceRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * The fairness rule for single leases (docs/planner.md, "Fairness"): room goes to the oldest
 * waiting lease that can use it now. A lease that has waited once is in line; a younger lease
 * (waiting or new) takes a place on a resource only where places are left after every older
 * lease in line took the one it would choose, and builds under a blueprint's limit only while
 * more limit places are free than older leases in line would build with; otherwise it waits and
 * wakes those older leases at once. Only the {@value #LOOK_AHEAD} oldest leases of a type hold room,
 * so one that no update reaches (its taskmaster died holding it) delays the others by the task
 * queue's recovery time at most, never for good.
 *
 * @param room places left on each resource after the line's choices, by resource id (a resource not
 *             in it has all its free places)
 * @param holders the older leases that hold room on each resource, by resource id
 * @param unplaced the older leases that no resource with room would take now: builders, perhaps
 */
record WaitingLine(Map<Long, Integer> room, Map<Long, List<Long>> holders, List<LeaseRow> unplaced) {
    /** How many of the oldest waiting leases of a type hold room for themselves. */
    static final int LOOK_AHEAD = Engine.WAKE_BATCH;

    WaitingLine {
        room = Map.copyOf(room);
        holders = Map.copyOf(holders);
        unplaced = List.copyOf(unplaced);
    }

    /** Whether a place on {@code resource} is left once the line ahead has taken its own. */
    boolean leavesRoom(ResourceRow resource) {
        return room.getOrDefault(resource.id(), resource.capacity() - resource.activeLeases()) > 0;
    }

    /** The older leases that hold room on the resource. */
    List<Long> holding(long resourceId) {
        return holders.getOrDefault(resourceId, List.of());
    }

    /**
     * The older leases in line of a batch's types that are not in the batch: up to
     * {@value #LOOK_AHEAD} per type, older than the youngest of the batch's leases of that type.
     */
    static List<LeaseRow> outside(Handle h, List<LeaseRow> batch) {
        Set<Long> ids = batch.stream().map(LeaseRow::id).collect(Collectors.toSet());
        Map<String, Long> youngest = batch.stream().filter(l -> l.gangId().isEmpty())
                .collect(Collectors.toMap(LeaseRow::resourceType, LeaseRow::id, Math::max));
        List<LeaseRow> line = new ArrayList<>();
        youngest.forEach((type, id) -> LeaseStore.aheadInLine(h, type, id, LOOK_AHEAD).stream()
                .filter(l -> !ids.contains(l.id())).forEach(line::add));
        return line;
    }

    /** Why a lease did not take room on a resource: for its status reason and `why`. */
    static String heldFor(long resourceId, List<Long> older) {
        return "resource " + resourceId + ": its free place is held for older waiting lease" + (older.size() == 1 ? " " : "s ")
                + older.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " (room goes to the oldest waiting lease first)";
    }

    /** Why a lease did not build under a blueprint's limit: for its status reason and `why`. */
    static String buildsFor(String blueprint, int freePlaces, List<Long> older) {
        return blueprint + ": its " + freePlaces + " free limit place" + (freePlaces == 1 ? " is" : "s are") + " for older waiting lease"
                + (older.size() == 1 ? " " : "s ") + older.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + " (room goes to the oldest waiting lease first)";
    }
}
