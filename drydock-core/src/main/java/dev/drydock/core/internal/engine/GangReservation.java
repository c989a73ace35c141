package dev.drydock.core.internal.engine;

import dev.drydock.api.GangStatus;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.GangStore;
import dev.drydock.core.internal.store.LeaseCapacity;
import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.core.internal.store.NoFreeSlotException;
import dev.drydock.core.internal.store.ResourceStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * The two all-or-nothing steps of a gang, each one short transaction that locks what it checks in
 * the engine's one order (the gang; its members by id; resources by id; blueprints by id), checks
 * everything, and only then writes: {@link #reserve} takes every member's place or nothing, and
 * {@link #activate} makes every member ACTIVE or none. A transaction rather than one guarded
 * statement because a statement's CTEs read one snapshot, so a check in one CTE can disagree with
 * rows another CTE locked after waiting; after a lock, the next statement of a transaction reads
 * the row as committed. Gangs are rare, so the locks held across these few round trips cost
 * single leases nothing they would notice.
 */
final class GangReservation {
    private final Engine engine;

    GangReservation(Engine engine) {
        this.engine = engine;
    }

    /** What {@link #reserve} came to. */
    sealed interface Outcome {
        /** Every member has its place or its build; the gang is RESERVED. */
        record Reserved() implements Outcome {}

        /** Something it planned on changed meanwhile (the reason says what); nothing was written. */
        record Missed(String reason) implements Outcome {}
    }

    /** Reserves the plan {@code fits} for the WAITING gang's PENDING {@code members}, whole or not at all. */
    Outcome reserve(GangStore.GangRow gang, List<LeaseRow> members, GangPlanner.Verdict.Fits fits) {
        Map<Long, Integer> places = fits.places().stream().collect(Collectors.toMap(p -> p.resource().id(), p -> 1, Integer::sum, TreeMap::new));
        // new resources per blueprint, and members waiting for them (lease places) per blueprint
        Map<Long, Integer> builds = fits.builds().stream().collect(Collectors.groupingBy(b -> b.with().blueprint().id(), TreeMap::new,
                Collectors.collectingAndThen(Collectors.mapping(GangPlanner.Build::resource, Collectors.toSet()), Set::size)));
        Map<Long, Integer> waitingForBuilds = fits.builds().stream()
                .collect(Collectors.toMap(b -> b.with().blueprint().id(), b -> 1, Integer::sum, TreeMap::new));
        try {
            return engine.jdbi().inTransaction(h -> {
                if (GangStore.lock(h, gang.id()).filter(g -> g.status() == GangStatus.WAITING).isEmpty()) {
                    return new Outcome.Missed("the gang changed meanwhile");
                }
                List<GangStore.Member> locked = GangStore.lockMembers(h, gang.id());
                if (locked.size() != members.size() || locked.stream().anyMatch(m -> m.lease().status() != LeaseStatus.PENDING)) {
                    return new Outcome.Missed("a member changed meanwhile");
                }
                Optional<String> short_ = shortOfPlaces(h, places).or(() -> shortOfBuilds(h, builds));
                if (short_.isPresent()) {
                    return new Outcome.Missed(short_.get());
                }
                if (!places.isEmpty()) {
                    GangStore.takePlaces(h, places);
                    GangStore.acquire(h, fits.places().stream().map(p -> new LeaseCapacity.Placement(p.member().id(), p.resource().id(),
                            "acquired on resource " + p.resource().id() + " of blueprint " + p.blueprint().name() + " as a member of gang "
                                    + gang.id() + "; being prepared")).toList());
                }
                if (!builds.isEmpty()) {
                    GangStore.reserveBuilds(h, builds);
                    Map<Integer, List<GangPlanner.Build>> byResource = fits.builds().stream()
                            .collect(Collectors.groupingBy(GangPlanner.Build::resource, TreeMap::new, Collectors.toList()));
                    byResource.values().forEach(sharing -> build(h, gang, sharing));
                }
                GangStore.move(h, gang.id(), GangStatus.WAITING, GangStatus.RESERVED, "every member has its place: " + fits.places().size()
                        + " on existing resources, " + fits.builds().size() + " being built; members are being prepared");
                // what is being built for members is theirs: younger leases leave it to them until the gang is active
                waitingForBuilds.forEach((blueprint, n) -> GangStore.hold(h, blueprint, members.getFirst().id(), 0, n));
                GangStore.releaseHolds(h, members.getFirst().id(), builds.keySet());
                return new Outcome.Reserved();
            });
        } catch (NoFreeSlot e) {
            return new Outcome.Missed(e.getMessage());
        }
    }

    /** The first resource planned on that no longer has the places wanted, if any (locked in id order). */
    private static Optional<String> shortOfPlaces(Handle h, Map<Long, Integer> places) {
        if (places.isEmpty()) {
            return Optional.empty();
        }
        Map<Long, GangStore.LockedResource> resources = GangStore.lockResources(h, places.keySet());
        for (Map.Entry<Long, Integer> want : places.entrySet()) {
            GangStore.LockedResource r = resources.get(want.getKey());
            if (r == null || r.status() != ResourceStatus.ACTIVE) {
                return Optional.of("resource " + want.getKey() + " is no longer active");
            }
            if (r.activeLeases() + want.getValue() > r.capacity()) {
                return Optional.of("resource " + r.id() + " has " + (r.capacity() - r.activeLeases()) + " free place(s), " + want.getValue()
                        + " wanted");
            }
        }
        return Optional.empty();
    }

    /** The first blueprint planned on whose limit no longer has the room wanted, if any (locked in id order, after the resources). */
    private static Optional<String> shortOfBuilds(Handle h, Map<Long, Integer> builds) {
        if (builds.isEmpty()) {
            return Optional.empty();
        }
        Map<Long, BlueprintRow> blueprints = GangStore.lockBlueprints(h, builds.keySet());
        for (Map.Entry<Long, Integer> want : builds.entrySet()) {
            BlueprintRow b = blueprints.get(want.getKey());
            if (b == null || !b.enabled()) {
                return Optional.of("blueprint " + want.getKey() + " was disabled or deleted");
            }
            if (b.resourceCount() + want.getValue() > b.resourceLimit()) {
                return Optional.of("blueprint " + b.name() + " has room for " + (b.resourceLimit() - b.resourceCount()) + " more resource(s), "
                        + want.getValue() + " wanted");
            }
        }
        return Optional.empty();
    }

    /**
     * One new PENDING resource for the members {@code sharing} it, with its slot if its blueprint has
     * slots, and its update task; it is built for the first of them, and each waits for it.
     */
    private void build(Handle h, GangStore.GangRow gang, List<GangPlanner.Build> sharing) {
        GangPlanner.Build b = sharing.getFirst();
        Allocation.Candidate c = b.with();
        BlueprintImplementation<Record> impl = Engine.impl(c.configured());
        long member = b.member().id();
        long resourceId;
        try {
            resourceId = ResourceStore.insertBuild(h, c.blueprint(), impl.capacity(c.configured().config()), Cause.attributes(member),
                    "being built for lease " + member + (sharing.size() > 1 ? " and " + (sharing.size() - 1) + " more" : "")
                            + " of gang " + gang.id(), impl.slots(c.configured().config()));
        } catch (NoFreeSlotException e) {
            throw new NoFreeSlot("every one of blueprint " + c.blueprint().name() + "'s " + e.slots() + " slots (hosts) is in use");
        }
        for (GangPlanner.Build waiting : sharing) {
            LeaseStore.setBuilding(h, waiting.member().id(), resourceId);
            LeaseStore.setReason(h, waiting.member().id(), LeaseStatus.PENDING, "waiting for resource " + resourceId + " of blueprint "
                    + c.blueprint().name() + " to be built for it as a member of gang " + gang.id());
        }
        engine.tasks().updateResource(h, resourceId);
    }

    /**
     * Every member ACQUIRED and prepared becomes ACTIVE, and the gang with them, or nothing changes
     * (false): a member that moved meanwhile (released, its resource broke) is seen by the next look.
     */
    static boolean activate(Handle h, GangStore.GangRow gang) {
        if (GangStore.lock(h, gang.id()).filter(g -> g.status() == GangStatus.RESERVED).isEmpty()) {
            return false;
        }
        List<GangStore.Member> members = GangStore.lockMembers(h, gang.id());
        if (members.stream().anyMatch(m -> m.lease().status() != LeaseStatus.ACQUIRED || !m.prepared())) {
            return false;
        }
        Set<Long> moved = LeaseStore.transitionAll(h, LeaseStatus.ACQUIRED, LeaseStatus.ACTIVE, LeaseStore.ACTIVE_SETS, members.stream()
                .map(m -> new LeaseStore.Move(m.lease().id(), "active on resource " + m.lease().resourceId().orElseThrow() + " with the other "
                        + (members.size() - 1) + " members of gang " + gang.id(), Map.of(), List.of()))
                .toList());
        if (moved.size() != members.size()) {
            throw new IllegalStateException("gang " + gang.id() + ": " + moved.size() + " of " + members.size() + " locked members moved");
        }
        GangStore.move(h, gang.id(), GangStatus.RESERVED, GangStatus.ACTIVE, "every member is active");
        GangStore.releaseHolds(h, members.getFirst().lease().id(), List.of());
        return true;
    }

    /** Thrown inside the reservation to roll it back when a slot blueprint has no free slot left. */
    private static final class NoFreeSlot extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoFreeSlot(String reason) {
            super(reason, null, false, false);
        }
    }
}
