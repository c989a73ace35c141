package dev.drydock.core.internal.engine;

import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.api.spi.Decision;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.Progress;
import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.BlueprintStore;
import dev.drydock.core.internal.store.LeaseCapacity;
import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.core.internal.store.NoFreeSlotException;
import dev.drydock.core.internal.store.ResourceRow;
import dev.drydock.core.internal.store.ResourceStore;
import dev.drydock.core.internal.store.WarmPoolStore;
import dev.drydock.taskqueue.TaskOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Pending leases find room (DESIGN §4): for a batch, those that fit on active resources with room
 * take it together; the rest, and every other case (building a resource, reclaiming an idle one,
 * waiting with backoff, breaking with the reasons), go through the whole algorithm one lease at a time.
 */
final class Allocation {
    private static final String FAILED_BUILD = " could not be built (";
    private static final String LAST_TRY = "; the last try: ";
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    /** How a placement reason marks a better-ranked resource whose blueprint would not take the lease. */
    private static final String DECLINED = "declined";
    private final Engine engine;
    private final Activation activation;

    Allocation(Engine engine, Activation activation) {
        this.engine = engine;
        this.activation = activation;
    }

    /**
     * Pending leases, with the offers for their resource types read with them: those that can go
     * onto an active resource with room take it in one statement, are prepared by their blueprints
     * and become active in one more, except that leases whose blueprints acquire leases ahead are
     * prepared first and then take their room and become active in one statement; the rest (no
     * room seen, room gone meanwhile, a deadline passed, no blueprint) go through
     * {@link #allocate(LeaseRow, DatabaseClock, boolean)} one at a time. Deadlines are compared on
     * {@code clock}; {@code handedOver} says the leases were handed to this taskmaster for a type it
     * runs (decision 45).
     */
    Map<Long, TaskOutcome> allocate(List<LeaseRow> pending, Map<String, ResourceStore.Offers> offers, DatabaseClock clock, boolean handedOver) {
        Plan plan = plan(pending, offers, clock);
        Map<Long, TaskOutcome> outcomes = new HashMap<>();
        List<LeaseRow> alone = new ArrayList<>(plan.alone());
        List<Placed> taking = new ArrayList<>();
        List<Ahead> ahead = new ArrayList<>();
        for (Placed placed : plan.placed()) {
            BlueprintRegistry.Configured builtWith;
            try {
                builtWith = engine.configured(placed.on(), placed.with().blueprint());
            } catch (RuntimeException e) {
                outcomes.put(placed.lease().id(), PerLease.retry(placed.lease().id(), e));
                continue;
            }
            if (!Engine.impl(builtWith).acquiresLeasesAhead(builtWith.config())) {
                taking.add(placed);
                continue;
            }
            Activation.Acquisition a;
            try {
                a = activation.prepare(placed.lease().acquiredOn(placed.on().id()), placed.on(), placed.with().blueprint());
            } catch (RuntimeException e) {
                outcomes.put(placed.lease().id(), PerLease.retry(placed.lease().id(), e));
                continue;
            }
            if (a.progress() instanceof Progress.Done && a.ctx().resourceAttributes.isEmpty()) {
                ahead.add(new Ahead(placed, a));
            } else {
                activation.undo(a); // what it came to needs storing step by step: the usual way
                taking.add(placed);
            }
        }
        if (!ahead.isEmpty()) {
            takeAndActivate(ahead, outcomes, alone);
        }
        if (!taking.isEmpty()) {
            List<LeaseCapacity.Taken> taken = engine.jdbi().withHandle(h -> LeaseCapacity.takeAll(h, taking.stream().map(Placed::placement).toList()));
            List<Activation.Acquisition> acquisitions = new ArrayList<>();
            for (int i = 0; i < taking.size(); i++) {
                Placed placed = taking.get(i);
                LeaseRow lease = placed.lease();
                switch (taken.get(i)) {
                    case LeaseCapacity.Taken.OnResource on -> {
                        try {
                            acquisitions.add(activation.prepare(lease.acquiredOn(on.resource().id()), on.resource(), placed.with().blueprint()));
                        } catch (RuntimeException e) {
                            outcomes.put(lease.id(), PerLease.retry(lease.id(), e));
                        }
                    }
                    case LeaseCapacity.Taken.LeaseMoved moved -> outcomes.put(lease.id(), TaskOutcome.yieldFor(Duration.ZERO)); // released meanwhile: run again and clean up
                    case LeaseCapacity.Taken.Full full -> alone.add(lease); // filled up since we looked
                }
            }
            outcomes.putAll(activation.activate(acquisitions));
        }
        outcomes.putAll(PerLease.each(alone, lease -> allocate(lease, clock, handedOver)));
        return outcomes;
    }

    /**
     * Leases whose blueprints acquired them ahead take their share and become ACTIVE in one
     * statement; for those that did not get it, the acquisition is undone.
     */
    private void takeAndActivate(List<Ahead> ahead, Map<Long, TaskOutcome> outcomes, List<LeaseRow> alone) {
        List<LeaseCapacity.Activated> activated = ahead.stream()
                .map(a -> new LeaseCapacity.Activated(a.placed().placement(), a.acquired().ctx().leaseAttributes, a.acquired().ctx().logLines))
                .toList();
        List<LeaseCapacity.Taken> taken = engine.jdbi().withHandle(h -> LeaseCapacity.takeAndActivateAll(h, activated));
        for (int i = 0; i < ahead.size(); i++) {
            Ahead a = ahead.get(i);
            LeaseRow lease = a.placed().lease();
            switch (taken.get(i)) {
                case LeaseCapacity.Taken.OnResource on -> {
                    activation.activated(a.acquired());
                    outcomes.put(lease.id(), TaskOutcome.success());
                }
                case LeaseCapacity.Taken.LeaseMoved moved -> {
                    activation.undo(a.acquired());
                    outcomes.put(lease.id(), TaskOutcome.yieldFor(Duration.ZERO)); // released meanwhile: run again and clean up
                }
                case LeaseCapacity.Taken.Full full -> {
                    activation.undo(a.acquired());
                    alone.add(lease); // filled up since we looked
                }
            }
        }
    }

    /** A placed lease that its blueprint acquired before the share was taken. */
    private record Ahead(Placed placed, Activation.Acquisition acquired) {}

    /** Where a batch's pending leases go: placed on resources, or on their own. */
    private record Plan(List<Placed> placed, List<LeaseRow> alone) {}

    /** A lease placed on a resource (as last read) of a candidate blueprint, and the placement to take. */
    private record Placed(LeaseRow lease, Candidate with, ResourceRow on, LeaseCapacity.Placement placement) {}

    /**
     * Places leases in id order (the oldest request first), each on the best offered resource that
     * still has room after the leases placed before it and whose blueprint takes it ({@code canEverAllocate},
     * {@code canAcquire}); a lease past its deadline or with no such resource goes on its own. Older
     * leases waiting in line outside the batch take their turn in that order too (the fairness
     * rule, {@link WaitingLine}): the room they could use is held for them, not handed to the batch.
     */
    private Plan plan(List<LeaseRow> pending, Map<String, ResourceStore.Offers> offers, DatabaseClock clock) {
        Map<Long, Integer> room = new HashMap<>();
        List<Placed> placed = new ArrayList<>();
        List<LeaseRow> alone = new ArrayList<>();
        java.util.Set<Long> batch = pending.stream().map(LeaseRow::id).collect(Collectors.toSet());
        List<LeaseRow> turns = new ArrayList<>(pending);
        // the line holds only room on offered resources: where none has room, it has nothing to hold
        List<LeaseRow> withRoom = pending.stream()
                .filter(l -> offers.get(l.resourceType()) != null && !offers.get(l.resourceType()).withRoom().isEmpty()).toList();
        if (!withRoom.isEmpty()) {
            turns.addAll(engine.jdbi().withHandle(h -> WaitingLine.outside(h, withRoom)));
        }
        for (LeaseRow lease : turns.stream().sorted(Comparator.comparingLong(LeaseRow::id)).toList()) {
            Optional<Choice> choice = choose(lease, offers.get(lease.resourceType()), room, clock);
            if (!batch.contains(lease.id())) {
                continue; // ahead in line: what it chose stays held for it
            }
            if (choice.isEmpty()) {
                alone.add(lease);
                continue;
            }
            Choice c = choice.get();
            placed.add(new Placed(lease, c.with(), c.on(), new LeaseCapacity.Placement(lease.id(), c.on().id(),
                    "acquired on resource " + c.on().id() + " of blueprint " + c.with().blueprint().name() + c.scores())));
        }
        return new Plan(placed, alone);
    }

    /** The resource a lease would take a place on, of which blueprint, and the decisive scores. */
    private record Choice(Candidate with, ResourceRow on, String scores) {}

    /**
     * The best offered resource with room left in {@code room} (by resource id; a resource not in it
     * has its free places) that the lease may go on, whose place it takes out of {@code room}; none
     * for a lease past its deadline or that nothing offered takes.
     */
    private Optional<Choice> choose(LeaseRow lease, ResourceStore.Offers offered, Map<Long, Integer> room, DatabaseClock clock) {
        if (clock.isPast(lease.acquireDeadline()) || offered == null) {
            return Optional.empty();
        }
        try {
            Candidates candidates = candidates(lease, offered.blueprints());
            LeaseView view = Engine.view(lease);
            // scored with the room handed out to earlier leases
            OfferRanking ranking = OfferRanking.rank(engine, offered.withRoom(), offered.blueprints(),
                    id -> candidates.byId(id).isPresent(),
                    r -> r.capacity() - room.getOrDefault(r.id(), r.capacity() - r.activeLeases()), view, clock.now());
            Map<Long, String> passedOver = new HashMap<>();
            for (ResourceRow resource : ranking.resources()) {
                if (!OnResource.allows(lease.attributes(), resource.id())) {
                    continue;
                }
                int free = room.computeIfAbsent(resource.id(), id -> resource.capacity() - resource.activeLeases());
                Optional<Candidate> usable = free > 0 ? candidates.byId(resource.blueprintId()) : Optional.empty();
                if (usable.isPresent() && GangHolds.leavesPlaces(usable.get().blueprint(), lease.id(), offered.withRoom(),
                        r -> room.getOrDefault(r.id(), r.capacity() - r.activeLeases()), capacity(usable.get()))
                        && canAcquire(usable.get(), resource, view)) {
                    room.put(resource.id(), free - 1);
                    return Optional.of(new Choice(usable.get(), resource, ranking.explain(resource, passedOver)));
                }
                passedOver.put(resource.id(), DECLINED);
            }
        } catch (RuntimeException e) {
            // a blueprint that throws here fails this lease's own step (on its own), not the batch
        }
        return Optional.empty();
    }

    /**
     * The line ahead of {@code lease}: the older waiting leases of its type, the room each of them
     * would take now, and those that would build instead.
     */
    private WaitingLine lineAhead(LeaseRow lease, ResourceStore.Offers offers, DatabaseClock clock) {
        List<LeaseRow> ahead = engine.jdbi().withHandle(h -> LeaseStore.aheadInLine(h, lease.resourceType(), lease.id(), WaitingLine.LOOK_AHEAD));
        Map<Long, Integer> room = new HashMap<>();
        Map<Long, List<Long>> holders = new HashMap<>();
        List<LeaseRow> unplaced = new ArrayList<>();
        for (LeaseRow older : ahead) {
            choose(older, offers, room, clock).ifPresentOrElse(
                    c -> holders.computeIfAbsent(c.on().id(), r -> new ArrayList<>()).add(older.id()), () -> unplaced.add(older));
        }
        return new WaitingLine(room, holders, unplaced);
    }

    private void wakeLine(java.util.Set<Long> wake) {
        engine.jdbi().useHandle(h -> engine.tasks().updateLeases(h, List.copyOf(wake)));
        wake.clear();
    }

    /** The older leases in line that would build a resource of the candidate's blueprint if they ran now. */
    private List<Long> buildersAhead(WaitingLine line, Candidate c, List<BlueprintRow> ofType) {
        List<Long> builders = new ArrayList<>();
        for (LeaseRow older : line.unplaced()) {
            try {
                if (older.buildingResourceId().isEmpty() && candidates(older, ofType).byId(c.blueprint().id()).isPresent()
                        && Engine.impl(c.configured()).canAllocate(c.configured().config(), Engine.view(older)).allowed()) {
                    builders.add(older.id());
                }
            } catch (RuntimeException e) {
                // a blueprint that throws for the older lease fails that lease's own step; it holds nothing here
            }
        }
        return builders;
    }

    /**
     * Whether {@code resource} takes the lease. Asked with the blueprint's current configuration, as
     * every question about a resource's future use is (decision 42: an operator who disabled a host
     * means new leases to avoid it). The blueprint matched the lease's attributes with that
     * configuration too; a resource built with an older one must also meet them with its own (it
     * was built in the old region, say).
     */
    boolean canAcquire(Candidate c, ResourceRow resource, LeaseView view) {
        if (!resource.usesCurrentConfig(c.blueprint())) {
            BlueprintRegistry.Configured builtWith = engine.configured(resource, c.blueprint());
            if (!Engine.impl(builtWith).meetsAttributes(builtWith.config(), view.attributes()).allowed()) {
                return false;
            }
        }
        return Engine.impl(c.configured()).canAcquire(c.configured().config(), engine.view(resource, c.blueprint()), view).allowed();
    }

    /** The lease places a new resource of the candidate's blueprint has (asked only where a gang holds room). */
    private static int capacity(Candidate c) {
        return c.blueprint().gangHoldLeaseId().isEmpty() ? 0 : Engine.impl(c.configured()).capacity(c.configured().config());
    }

    /** The whole of DESIGN §4 for one pending lease. */
    private TaskOutcome allocate(LeaseRow lease, DatabaseClock clock, boolean handedOver) {
        if (clock.isPast(lease.acquireDeadline())) {
            return breakLease(lease, "not active by its acquire deadline; it was " + StepFailure.base(lease.statusReason()));
        }
        ResourceStore.Offers offers = engine.jdbi().withHandle(h -> ResourceStore.offers(h, lease.resourceType()));
        Candidates candidates = candidates(lease, offers.blueprints());
        if (candidates.usable().isEmpty()) {
            return candidates.elsewhere().isEmpty() ? breakLease(lease, candidates.explainNone(lease))
                    : handOver(lease, clock, handedOver, types(candidates.elsewhere()), candidates.declined().isEmpty()
                            ? "waiting for a taskmaster that runs its blueprints' types" : candidates.explainNone(lease));
        }
        LeaseView view = Engine.view(lease);
        Optional<Long> pinned = OnResource.of(lease.attributes());
        if (pinned.isPresent()) {
            return allocateOn(pinned.get(), lease, clock, handedOver, candidates, view);
        }
        // 1. an existing resource with room, best first by its blueprint's scorer, except room the line ahead can use
        WaitingLine line = lineAhead(lease, offers, clock);
        java.util.Set<Long> wake = new java.util.TreeSet<>();
        List<String> full = new ArrayList<>();
        OfferRanking ranking = OfferRanking.rank(engine, offers.withRoom(), offers.blueprints(), id -> candidates.byId(id).isPresent(),
                ResourceRow::activeLeases, view, clock.now());
        Map<Long, String> passedOver = new HashMap<>();
        for (ResourceRow resource : ranking.resources()) {
            Optional<Candidate> usable = candidates.byId(resource.blueprintId());
            if (usable.isEmpty()) {
                continue; // its blueprint declined the lease
            }
            if (!line.leavesRoom(resource)) {
                wake.addAll(line.holding(resource.id()));
                full.add(WaitingLine.heldFor(resource.id(), line.holding(resource.id())));
                passedOver.put(resource.id(), "held for older leases");
                continue;
            }
            Candidate c = usable.get();
            if (!GangHolds.leavesPlaces(c.blueprint(), lease.id(), offers.withRoom(), r -> r.capacity() - r.activeLeases(), capacity(c))) {
                continue; // an older gang waits for room here, and this place is part of what it needs
            }
            if (!canAcquire(c, resource, view)) {
                passedOver.put(resource.id(), DECLINED);
                continue;
            }
            String reason = "acquired on resource " + resource.id() + " of blueprint " + c.blueprint().name()
                    + ranking.explain(resource, passedOver);
            passedOver.put(resource.id(), "filled up");
            switch (engine.jdbi().withHandle(h -> LeaseCapacity.take(h, lease.id(), resource.id(), reason))) {
                case LeaseCapacity.Taken.OnResource taken -> {
                    return activation.activate(lease.acquiredOn(resource.id()), taken.resource(), c.blueprint());
                }
                case LeaseCapacity.Taken.LeaseMoved moved -> {
                    return TaskOutcome.yieldFor(Duration.ZERO); // released meanwhile: run again and clean up
                }
                case LeaseCapacity.Taken.Full filled -> { } // filled up since we looked: try the next one
            }
        }
        if (!wake.isEmpty()) {
            wakeLine(wake); // the room is theirs: their turn now, not at their backoff
        }
        // 1b. room on a resource of a type this taskmaster lacks: a taskmaster that runs it places the lease
        for (ResourceRow resource : offers.withRoom()) {
            Optional<BlueprintRow> other = candidates.elsewhere().stream().filter(b -> b.id() == resource.blueprintId()).findFirst();
            if (other.isPresent()) {
                return handOver(lease, clock, handedOver, List.of(other.get().type()), "resource " + resource.id() + " of blueprint "
                        + other.get().name() + " has room");
            }
        }
        // 2. a resource already being built for this lease
        if (lease.buildingResourceId().isPresent()) {
            Optional<ResourceRow> building = engine.jdbi().withHandle(h -> ResourceStore.find(h, lease.buildingResourceId().get()));
            if (building.isPresent() && building.get().status() == ResourceStatus.PENDING) {
                return waitFor(lease, clock, "waiting for resource " + building.get().id() + " to be built: " + building.get().statusReason()
                        + lastFailedBuild(lease.statusReason()));
            }
            if (building.isPresent() && building.get().status() != ResourceStatus.ACTIVE) {
                // The build failed: back off before building again, so a dead host is not hammered.
                engine.jdbi().useHandle(h -> LeaseStore.setBuilding(h, lease.id(), null));
                return waitFor(lease, clock, "resource " + building.get().id() + FAILED_BUILD + building.get().statusReason()
                        + "); trying again");
            }
        }
        // 2b. a warm build in flight that meets it: taking it over waits no longer than building one, and takes no place
        Optional<String> adopted = adoptWarmBuild(lease, candidates.usable(), view);
        if (adopted.isPresent()) {
            return waitFor(lease, clock, adopted.get());
        }
        // 3. build one, unless the blueprint's free limit places are for older leases in line
        for (Candidate c : candidates.usable()) {
            if (!GangHolds.leavesBuild(c.blueprint(), lease.id(), offers.withRoom(), capacity(c))) {
                full.add(GangHolds.heldBack(c.blueprint()));
                continue;
            }
            int freeSlots = c.blueprint().resourceLimit() - c.blueprint().resourceCount();
            List<Long> builders = freeSlots > 0 ? buildersAhead(line, c, offers.blueprints()) : List.of();
            if (!builders.isEmpty() && builders.size() >= freeSlots) {
                wake.addAll(builders);
                full.add(WaitingLine.buildsFor(c.blueprint().name(), freeSlots, builders));
                continue;
            }
            Decision now = Engine.impl(c.configured()).canAllocate(c.configured().config(), view);
            if (!now.allowed()) {
                full.add(c.blueprint().name() + ": " + ((Decision.No) now).reason());
                continue;
            }
            List<String> slots = Engine.impl(c.configured()).slots(c.configured().config());
            Long built;
            try {
                built = engine.jdbi().inTransaction(h -> {
                    if (!BlueprintStore.reserveResource(h, c.blueprint().id())) {
                        return null;
                    }
                    // the row stores the configuration validated above (c.blueprint() as read): its snapshot
                    // no free slot throws, which rolls back the reservation and the row
                    long resourceId = ResourceStore.insertBuild(h, c.blueprint(),
                            Engine.impl(c.configured()).capacity(c.configured().config()), Cause.attributes(lease.id()),
                            "being built for lease " + lease.id(), slots);
                    LeaseStore.setBuilding(h, lease.id(), resourceId);
                    LeaseStore.waiting(h, lease.id(), "waiting for resource " + resourceId + " of blueprint " + c.blueprint().name() + " to be built"
                            + lastFailedBuild(lease.statusReason()));
                    engine.tasks().updateResource(h, resourceId);
                    return resourceId;
                });
            } catch (NoFreeSlotException e) {
                full.add(c.blueprint().name() + ": every one of its " + slots.size() + " slots (hosts) is in use");
                continue;
            }
            if (built != null) {
                return TaskOutcome.yieldFor(MAX_WAIT); // woken when the resource is active or broken
            }
            BlueprintRow now2 = engine.jdbi().withHandle(h -> BlueprintStore.byId(h, c.blueprint().id())).orElse(c.blueprint());
            switch (reclaimIdle(c, lease, view)) {
                case Reclaim.Reclaimed r -> {
                    return waitFor(lease, clock, "waiting for idle resource " + r.resourceId() + " of blueprint " + c.blueprint().name()
                            + " to be destroyed to make room (the blueprint is at its limit of " + now2.resourceLimit() + ")");
                }
                case Reclaim.Usable u -> {
                    return TaskOutcome.yieldFor(Duration.ZERO); // room appeared since step 1 looked: take it
                }
                case Reclaim.Nothing n -> { }
            }
            full.add(c.blueprint().name() + ": at its limit of " + now2.resourceLimit() + " resources, all of them full");
        }
        // 4. nothing free: wait, woken early when a lease is released or a resource becomes active
        if (!wake.isEmpty()) {
            wakeLine(wake);
        }
        String reason = "waiting for room: " + String.join("; ", full);
        return candidates.elsewhere().isEmpty() ? waitFor(lease, clock, reason)
                : handOver(lease, clock, handedOver, types(candidates.elsewhere()), reason);
    }

    /**
     * A lease that may only go on resource {@code resourceId} ({@link dev.drydock.api.LeaseRequest#ON_RESOURCE}):
     * it takes room there, or waits while that resource is built or full, or breaks once it can never
     * go there. Nothing is ever built or reclaimed for it.
     */
    private TaskOutcome allocateOn(long resourceId, LeaseRow lease, DatabaseClock clock, boolean handedOver, Candidates candidates,
                                   LeaseView view) {
        Optional<ResourceRow> found = engine.jdbi().withHandle(h -> ResourceStore.find(h, resourceId));
        if (found.isEmpty()) {
            return breakLease(lease, "it must be placed on resource " + resourceId + ", and there is no such resource");
        }
        ResourceRow resource = found.get();
        if (!resource.resourceType().equals(lease.resourceType())) {
            return breakLease(lease, "it must be placed on resource " + resourceId + ", which is a " + resource.resourceType()
                    + " resource, not " + lease.resourceType());
        }
        Optional<Candidate> usable = candidates.byId(resource.blueprintId());
        if (usable.isEmpty()) {
            Optional<BlueprintRow> other = candidates.elsewhere().stream().filter(b -> b.id() == resource.blueprintId()).findFirst();
            if (other.isPresent()) {
                return handOver(lease, clock, handedOver, List.of(other.get().type()), "it must be placed on resource " + resourceId
                        + " of blueprint " + other.get().name());
            }
            return breakLease(lease, "it must be placed on resource " + resourceId + ", whose blueprint cannot serve it: "
                    + candidates.explainNone(lease));
        }
        Candidate c = usable.get();
        switch (resource.status()) {
            case PENDING -> {
                return waitFor(lease, clock, "waiting for resource " + resourceId + ", which it must be placed on, to be built: "
                        + resource.statusReason());
            }
            case ACTIVE -> { }
            default -> {
                return breakLease(lease, "it must be placed on resource " + resourceId + ", which is " + resource.status()
                        + ": " + resource.statusReason());
            }
        }
        if (!canAcquire(c, resource, view)) {
            return breakLease(lease, "it must be placed on resource " + resourceId + " of blueprint " + c.blueprint().name()
                    + ", which cannot take it");
        }
        String reason = "acquired on resource " + resourceId + " of blueprint " + c.blueprint().name();
        return switch (engine.jdbi().withHandle(h -> LeaseCapacity.take(h, lease.id(), resourceId, reason))) {
            case LeaseCapacity.Taken.OnResource taken -> activation.activate(lease.acquiredOn(resourceId), taken.resource(), c.blueprint());
            case LeaseCapacity.Taken.LeaseMoved moved -> TaskOutcome.yieldFor(Duration.ZERO); // released meanwhile: run again and clean up
            case LeaseCapacity.Taken.Full full -> waitFor(lease, clock, "waiting for room on resource " + resourceId + ", which it must be placed on: all "
                    + resource.capacity() + " of its leases are taken");
        };
    }

    /**
     * Hands the lease to a taskmaster that runs the type of a candidate blueprint this one lacks
     * (architecture decision 45), taking turns among several: at once from a taskmaster that every
     * lease reaches, on the lease's backoff from one it was handed to, so a lease that no taskmaster
     * can serve does not circle between them. With no live taskmaster of those types, the lease
     * waits, saying so: it never breaks for want of a taskmaster.
     */
    private TaskOutcome handOver(LeaseRow lease, DatabaseClock clock, boolean handedOver, List<String> types, String reason) {
        java.util.Set<String> live = engine.jdbi().withHandle(LiveTypes::of);
        List<String> running = types.stream().filter(live::contains).toList();
        if (running.isEmpty()) {
            return waitFor(lease, clock, reason + "; no running taskmaster has blueprint type " + String.join(" or ", types)
                    + ": start one with it registered");
        }
        String to = running.get(lease.waits() % running.size());
        Duration delay = handedOver ? backoff(lease, clock) : Duration.ZERO;
        engine.jdbi().useTransaction(h -> {
            LeaseStore.waiting(h, lease.id(), reason + "; handed to a taskmaster with blueprint type " + to);
            engine.tasks().forwardLease(h, lease.id(), to, delay);
        });
        return TaskOutcome.success();
    }

    /** What reclaiming found: a resource released to make room, an idle one that can serve after all, or nothing. */
    private sealed interface Reclaim {
        record Reclaimed(long resourceId) implements Reclaim {}

        record Usable() implements Reclaim {}

        record Nothing() implements Reclaim {}
    }

    /**
     * The blueprint is at its limit. An idle resource of it that cannot take this lease is released,
     * so that its destruction frees room to build one that can (the wake-up on destruction brings
     * this lease back). An idle resource that can take the lease is never reclaimed: room appeared
     * after step 1 looked, and the lease should simply try again.
     */
    private Reclaim reclaimIdle(Candidate c, LeaseRow lease, LeaseView view) {
        return engine.jdbi().inTransaction(h -> {
            List<ResourceRow> idle = h.createQuery("""
                            SELECT id FROM dd_resource WHERE blueprint_id = :b AND status = 'ACTIVE' AND active_leases = 0
                            ORDER BY idle_since NULLS LAST, id LIMIT 20 FOR UPDATE SKIP LOCKED""")
                    .bind("b", c.blueprint().id()).mapTo(Long.class).list().stream()
                    .flatMap(id -> ResourceStore.find(h, id).stream()).toList();
            for (ResourceRow r : idle) {
                if (canAcquire(c, r, view)) {
                    return new Reclaim.Usable();
                }
            }
            for (ResourceRow r : idle) {
                if (ResourceStore.transition(h, r, ResourceStatus.ACTIVE, ResourceStatus.RELEASED,
                        "reclaimed while idle to make room for lease " + lease.id())) {
                    engine.tasks().updateResource(h, r.id());
                    return new Reclaim.Reclaimed(r.id());
                }
            }
            return new Reclaim.Nothing();
        });
    }

    /**
     * Takes over the oldest warm build in flight of a candidate blueprint whose pool's attributes
     * include every attribute the lease asks for; the pool's planner is woken to replace it. The
     * reason the lease waits with, or empty when there was none to take.
     */
    private Optional<String> adoptWarmBuild(LeaseRow lease, List<Candidate> usable, LeaseView view) {
        if (usable.isEmpty()) {
            return Optional.empty();
        }
        Map<Long, Candidate> byId = usable.stream().collect(Collectors.toMap(c -> c.blueprint().id(), c -> c, (a, b) -> a));
        return engine.jdbi().inTransaction(h -> {
            List<WarmPoolStore.WarmPoolRow> pools = WarmPoolStore.ofBlueprints(h, byId.keySet()).stream()
                    .filter(p -> p.attributes().entrySet().containsAll(view.attributes().entrySet())).toList();
            if (pools.isEmpty()) {
                return Optional.<String>empty();
            }
            Optional<WarmPoolStore.Adopted> taken = WarmPoolStore.adoptBuild(h, pools.stream().map(WarmPoolStore.WarmPoolRow::id).toList());
            if (taken.isEmpty()) {
                return Optional.<String>empty();
            }
            Candidate c = byId.get(taken.get().blueprintId());
            LeaseStore.setBuilding(h, lease.id(), taken.get().resourceId());
            engine.tasks().plan(h, c.blueprint().id(), c.blueprint().type());
            return Optional.of("waiting for resource " + taken.get().resourceId() + " of blueprint " + c.blueprint().name()
                    + " to be built (a warm build it took over)");
        });
    }

    /**
     * While a lease waits for a build that follows a failed one, its reason keeps the failure, so
     * that whoever looks (its holder, `why`, a composite that leased it) sees why the last try did
     * not work and not only that a new one is under way.
     */
    private static String lastFailedBuild(String reason) {
        int carried = reason.indexOf(LAST_TRY);
        if (carried >= 0) {
            return reason.substring(carried);
        }
        return reason.startsWith("resource ") && reason.contains(FAILED_BUILD) ? LAST_TRY + StepFailure.before(reason, "; trying again") : "";
    }

    private TaskOutcome waitFor(LeaseRow lease, DatabaseClock clock, String reason) {
        engine.jdbi().useHandle(h -> LeaseStore.waiting(h, lease.id(), reason));
        return TaskOutcome.yieldFor(backoff(lease, clock));
    }

    private static List<String> types(List<BlueprintRow> blueprints) {
        return blueprints.stream().map(BlueprintRow::type).distinct().sorted().toList();
    }

    /** How long a lease that found no room waits before it looks again: doubling, at most 30 s, never past its deadline. */
    static Duration backoff(LeaseRow lease, DatabaseClock clock) {
        long backoffMs = Math.min(MAX_WAIT.toMillis(), 100L << Math.min(lease.waits(), 10));
        long untilDeadline = Math.max(0, Duration.between(clock.now(), lease.acquireDeadline()).toMillis());
        return Duration.ofMillis(Math.min(backoffMs, untilDeadline + 10));
    }

    private TaskOutcome breakLease(LeaseRow lease, String reason) {
        engine.jdbi().useTransaction(h -> {
            if (LeaseStore.transition(h, lease, LeaseStatus.PENDING, LeaseStatus.BROKEN, reason)) {
                engine.tasks().updateLease(h, lease.id());
            }
        });
        return TaskOutcome.success();
    }

    Candidates candidates(LeaseRow lease, List<BlueprintRow> ofType) {
        Map<String, String> declined = new LinkedHashMap<>();
        List<Candidate> usable = new ArrayList<>();
        List<BlueprintRow> elsewhere = new ArrayList<>();
        LeaseView view = Engine.view(lease);
        for (BlueprintRow b : ofType) {
            if (!lease.allowedBlueprints().isEmpty() && !lease.allowedBlueprints().contains(b.name())) {
                declined.put(b.name(), "not among the blueprints the lease allows " + lease.allowedBlueprints());
            } else if (!b.enabled()) {
                declined.put(b.name(), "disabled");
            } else {
                Optional<BlueprintRegistry.Configured> c;
                try {
                    c = engine.configuredIfKnown(b);
                } catch (RuntimeException e) {
                    // this blueprint's leases are refused with the reason; the batch's others go on
                    declined.put(b.name(), "its stored configuration is refused: " + StepFailure.describe(e)
                            + "; fix it with drydock-control blueprint update");
                    continue;
                }
                if (c.isEmpty()) {
                    elsewhere.add(b); // a taskmaster that runs its type decides (decision 45)
                    continue;
                }
                if (Engine.impl(c.get()).meetsAttributes(c.get().config(), view.attributes()) instanceof Decision.No unmet) {
                    declined.put(b.name(), unmet.reason());
                    continue;
                }
                Decision ever = Engine.impl(c.get()).canEverAllocate(c.get().config(), view);
                if (ever instanceof Decision.No no) {
                    declined.put(b.name(), no.reason());
                } else {
                    usable.add(new Candidate(b, c.get()));
                }
            }
        }
        return new Candidates(usable, declined, elsewhere);
    }

    record Candidate(BlueprintRow blueprint, BlueprintRegistry.Configured configured) {}

    /** The blueprints that could serve a lease, those that declined and why, and those of types this taskmaster lacks. */
    record Candidates(List<Candidate> usable, Map<String, String> declined, List<BlueprintRow> elsewhere) {
        Optional<Candidate> byId(long blueprintId) {
            return usable.stream().filter(c -> c.blueprint().id() == blueprintId).findFirst();
        }

        String explainNone(LeaseRow lease) {
            if (declined.isEmpty()) {
                return "no blueprint builds resources of type '" + lease.resourceType() + "'; create one with drydock-control blueprint create";
            }
            return "no blueprint can serve it: " + declined.entrySet().stream()
                    .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining("; "));
        }
    }
}
