package dev.drydock.core.internal.engine;

import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.api.spi.Decision;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.Progress;
import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.BlueprintStore;
import dev.drydock.core.internal.store.LeaseCapacity;
import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.core.internal.store.ResourceRow;
import dev.drydock.core.internal.store.ResourceStore;
import dev.drydock.taskqueue.Task;
import dev.drydock.taskqueue.BatchTaskHandler;
import dev.drydock.taskqueue.TaskOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives leases through their states (DESIGN §4), a batch of lease updates at a time (see {@link
 * BatchTaskHandler}): one lookup for the batch, then the common steps — taking room on a resource
 * that has it, activating, cleaning up — each as one statement for every lease of the batch at that
 * step; whatever is not common (building a resource, waiting, breaking) runs lease by lease. A lease's
 * updates run one at a time anywhere (the queue's serialization key); every state change is one
 * statement or transaction with its capacity change, follow-up task and log row, guarded by the
 * status it expects.
 */
public final class LeaseUpdater implements BatchTaskHandler {
    private static final Logger log = LoggerFactory.getLogger(LeaseUpdater.class);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private static final String ACTIVE_SETS = ", activated_at = now(), expires_at = CASE WHEN ttl_ms IS NULL THEN NULL"
            + " ELSE now() + ttl_ms * interval '1 millisecond' END";
    private final Engine engine;

    public LeaseUpdater(Engine engine) {
        this.engine = engine;
    }

    @Override
    public List<TaskOutcome> handle(List<Task> tasks) {
        List<Long> ids = tasks.stream().map(t -> Tasks.id(t.payload())).toList();
        LeaseStore.Lookup lookup = engine.jdbi().withHandle(h -> LeaseStore.lookUp(h, ids));
        Map<Long, LeaseStore.Situation> situations = lookup.situations();
        Map<Long, TaskOutcome> outcomes = new HashMap<>();
        List<LeaseRow> pending = new ArrayList<>();
        List<LeaseStore.Situation> ended = new ArrayList<>();
        for (long id : ids) {
            LeaseStore.Situation situation = situations.get(id);
            if (situation == null) {
                outcomes.put(id, TaskOutcome.success());
                continue;
            }
            LeaseRow lease = situation.lease();
            switch (lease.status()) {
                case PENDING -> pending.add(lease);
                case ACQUIRED -> outcomes.put(id, eachAlone(List.of(lease), l -> {
                    ResourceStore.Placed placed = situation.placed().orElseThrow();
                    return activate(List.of(prepare(l, placed.resource(), placed.blueprint()))).get(l.id());
                }).get(id));
                case RELEASED, BROKEN -> ended.add(situation);
                case ACTIVE, DESTROYED -> outcomes.put(id, TaskOutcome.success());
            }
        }
        // Allocation first: its holders are waiting for it; nobody waits for a clean-up, and the
        // room it gives back is seen by the next batch (whose leases it wakes if they wait).
        if (!pending.isEmpty()) {
            allocate(pending, lookup.offers()).forEach(outcomes::put);
        }
        if (!ended.isEmpty()) {
            cleanUp(ended).forEach(outcomes::put);
        }
        return ids.stream().map(outcomes::get).toList();
    }

    /**
     * Runs {@code step} for each lease on its own, so that one lease's failure (a blueprint throwing,
     * a lost connection) is that lease's retry, not its whole batch's.
     */
    private Map<Long, TaskOutcome> eachAlone(List<LeaseRow> leases, Function<LeaseRow, TaskOutcome> step) {
        Map<Long, TaskOutcome> outcomes = new HashMap<>();
        for (LeaseRow lease : leases) {
            TaskOutcome outcome;
            try {
                outcome = step.apply(lease);
            } catch (RuntimeException e) {
                log.warn("update of lease {} failed; it will be retried: {}", lease.id(), e.toString());
                outcome = TaskOutcome.retry(e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
            outcomes.put(lease.id(), outcome);
        }
        return outcomes;
    }

    /**
     * Pending leases, in id order (the oldest request first), with the offers for their resource
     * types read with them: each that can go onto an active resource with room is placed there in memory, and all of those take their room in one
     * statement, are prepared by their blueprints and become active in one more; the rest (no room
     * seen, room gone meanwhile, a deadline passed, no blueprint) go through {@link #allocate(LeaseRow)}
     * one at a time.
     */
    private Map<Long, TaskOutcome> allocate(List<LeaseRow> pending, Map<String, ResourceStore.Offers> offers) {
        Map<Long, TaskOutcome> outcomes = new HashMap<>();
        Map<Long, Integer> room = new HashMap<>();
        List<LeaseCapacity.Placement> placements = new ArrayList<>();
        Map<Long, Candidate> placedWith = new HashMap<>();
        Map<Long, LeaseRow> byId = new HashMap<>();
        List<LeaseRow> alone = new ArrayList<>();
        for (LeaseRow lease : pending.stream().sorted(java.util.Comparator.comparingLong(LeaseRow::id)).toList()) {
            byId.put(lease.id(), lease);
            Optional<Candidate> chosen = Optional.empty();
            ResourceRow on = null;
            if (!Instant.now().isAfter(lease.acquireDeadline())) {
                ResourceStore.Offers offered = offers.get(lease.resourceType());
                Candidates candidates = candidates(lease, offered.blueprints());
                LeaseView view = Engine.view(lease);
                for (ResourceRow resource : offered.withRoom()) {
                    int free = room.computeIfAbsent(resource.id(), id -> resource.capacity() - resource.activeLeases());
                    Optional<Candidate> usable = free > 0 ? candidates.byId(resource.blueprintId()) : Optional.empty();
                    if (usable.isPresent() && canAcquire(usable.get(), resource, view)) {
                        chosen = usable;
                        on = resource;
                        room.put(resource.id(), free - 1);
                        break;
                    }
                }
            }
            if (chosen.isEmpty()) {
                alone.add(lease);
                continue;
            }
            placements.add(new LeaseCapacity.Placement(lease.id(), on.id(),
                    "acquired on resource " + on.id() + " of blueprint " + chosen.get().blueprint().name()));
            placedWith.put(lease.id(), chosen.get());
        }
        if (!placements.isEmpty()) {
            List<LeaseCapacity.Taken> taken = engine.jdbi().withHandle(h -> LeaseCapacity.takeAll(h, placements));
            List<Acquisition> acquisitions = new ArrayList<>();
            for (int i = 0; i < placements.size(); i++) {
                LeaseRow lease = byId.get(placements.get(i).leaseId());
                switch (taken.get(i)) {
                    case LeaseCapacity.Taken.OnResource on -> {
                        try {
                            acquisitions.add(prepare(lease.acquiredOn(on.resource().id()), on.resource(), placedWith.get(lease.id()).blueprint()));
                        } catch (RuntimeException e) {
                            outcomes.putAll(eachAlone(List.of(lease), l -> {
                                throw e;
                            }));
                        }
                    }
                    case LeaseCapacity.Taken.LeaseMoved moved -> outcomes.put(lease.id(), TaskOutcome.yieldFor(Duration.ZERO)); // released meanwhile: run again and clean up
                    case LeaseCapacity.Taken.Full full -> alone.add(lease); // filled up since we looked
                }
            }
            outcomes.putAll(activate(acquisitions));
        }
        outcomes.putAll(eachAlone(alone, this::allocate));
        return outcomes;
    }

    private static boolean canAcquire(Candidate c, ResourceRow resource, LeaseView view) {
        return Engine.impl(c.configured()).canAcquire(c.configured().config(), Engine.view(resource, c.blueprint()), view).allowed();
    }

    /** The whole of DESIGN §4 for one pending lease. */
    private TaskOutcome allocate(LeaseRow lease) {
        if (Instant.now().isAfter(lease.acquireDeadline())) {
            return breakLease(lease, "not active by its acquire deadline; it was " + lease.statusReason());
        }
        ResourceStore.Offers offers = engine.jdbi().withHandle(h -> ResourceStore.offers(h, lease.resourceType()));
        Candidates candidates = candidates(lease, offers.blueprints());
        if (candidates.usable().isEmpty()) {
            return breakLease(lease, candidates.explainNone(lease));
        }
        LeaseView view = Engine.view(lease);
        // 1. an existing resource with room
        for (ResourceRow resource : offers.withRoom()) {
            Optional<Candidate> usable = candidates.byId(resource.blueprintId());
            if (usable.isEmpty()) {
                continue; // its blueprint declined the lease
            }
            Candidate c = usable.get();
            if (!canAcquire(c, resource, view)) {
                continue;
            }
            String reason = "acquired on resource " + resource.id() + " of blueprint " + c.blueprint().name();
            switch (engine.jdbi().withHandle(h -> LeaseCapacity.take(h, lease.id(), resource.id(), reason))) {
                case LeaseCapacity.Taken.OnResource taken -> {
                    return activate(List.of(prepare(lease.acquiredOn(resource.id()), taken.resource(), c.blueprint()))).get(lease.id());
                }
                case LeaseCapacity.Taken.LeaseMoved moved -> {
                    return TaskOutcome.yieldFor(Duration.ZERO); // released meanwhile: run again and clean up
                }
                case LeaseCapacity.Taken.Full full -> { } // filled up since we looked: try the next one
            }
        }
        // 2. a resource already being built for this lease
        if (lease.buildingResourceId().isPresent()) {
            Optional<ResourceRow> building = engine.jdbi().withHandle(h -> ResourceStore.find(h, lease.buildingResourceId().get()));
            if (building.isPresent() && building.get().status() == ResourceStatus.PENDING) {
                return waitFor(lease, "waiting for resource " + building.get().id() + " to be built: " + building.get().statusReason());
            }
            if (building.isPresent() && building.get().status() != ResourceStatus.ACTIVE) {
                // The build failed: back off before building again, so a dead host is not hammered.
                engine.jdbi().useHandle(h -> LeaseStore.setBuilding(h, lease.id(), null));
                return waitFor(lease, "resource " + building.get().id() + " could not be built (" + building.get().statusReason()
                        + "); trying again");
            }
        }
        // 3. build one
        List<String> full = new ArrayList<>();
        for (Candidate c : candidates.usable()) {
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
                    long resourceId = ResourceStore.insertPending(h, c.blueprint().id(), c.blueprint().resourceType(),
                            Engine.impl(c.configured()).capacity(c.configured().config()), "being built for lease " + lease.id());
                    if (!slots.isEmpty()) {
                        String slot = ResourceStore.claimSlot(h, c.blueprint().id(), resourceId, slots)
                                .orElseThrow(NoFreeSlot::new); // rolls back the reservation and the row
                        ResourceStore.setAttributes(h, resourceId, Map.of(BlueprintImplementation.SLOT, slot));
                    }
                    LeaseStore.setBuilding(h, lease.id(), resourceId);
                    LeaseStore.waiting(h, lease.id(), "waiting for resource " + resourceId + " of blueprint " + c.blueprint().name() + " to be built");
                    engine.tasks().updateResource(h, resourceId);
                    return resourceId;
                });
            } catch (NoFreeSlot e) {
                full.add(c.blueprint().name() + ": every one of its " + slots.size() + " slots (hosts) is in use");
                continue;
            }
            if (built != null) {
                return TaskOutcome.yieldFor(MAX_WAIT); // woken when the resource is active or broken
            }
            BlueprintRow now2 = engine.jdbi().withHandle(h -> BlueprintStore.byId(h, c.blueprint().id())).orElse(c.blueprint());
            switch (reclaimIdle(c, lease, view)) {
                case Reclaim.Reclaimed r -> {
                    return waitFor(lease, "waiting for idle resource " + r.resourceId() + " of blueprint " + c.blueprint().name()
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
        return waitFor(lease, "waiting for room: " + String.join("; ", full));
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
                if (Engine.impl(c.configured()).canAcquire(c.configured().config(), Engine.view(r, c.blueprint()), view).allowed()) {
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

    private TaskOutcome waitFor(LeaseRow lease, String reason) {
        engine.jdbi().useHandle(h -> LeaseStore.waiting(h, lease.id(), reason));
        long backoffMs = Math.min(MAX_WAIT.toMillis(), 100L << Math.min(lease.waits(), 10));
        long untilDeadline = Math.max(0, lease.acquireDeadline().toEpochMilli() - System.currentTimeMillis());
        return TaskOutcome.yieldFor(Duration.ofMillis(Math.min(backoffMs, untilDeadline + 10)));
    }

    /** A lease just ACQUIRED on a resource, and what its blueprint's acquireLease came to and recorded. */
    private record Acquisition(LeaseRow lease, ResourceRow resource, BlueprintRow blueprint, StepContext ctx, Progress progress) {}

    /** Runs the blueprint's acquireLease for a lease ACQUIRED on {@code resource}; stores nothing. */
    private Acquisition prepare(LeaseRow lease, ResourceRow resource, BlueprintRow blueprint) {
        BlueprintRegistry.Configured c = engine.configured(blueprint);
        StepContext ctx = new StepContext(Engine.view(resource, blueprint), Engine.view(lease));
        Progress progress = Engine.impl(c).acquireLease(c.config(), ctx.forResource(), ctx);
        return new Acquisition(lease, resource, blueprint, ctx, progress);
    }

    /**
     * Stores what acquiring came to. The leases their blueprints made ready without recording
     * anything on the resource (the usual case) become ACTIVE together in one statement; the rest
     * are stored one by one.
     */
    private Map<Long, TaskOutcome> activate(List<Acquisition> acquisitions) {
        Map<Long, TaskOutcome> outcomes = new HashMap<>();
        List<LeaseStore.Move> ready = new ArrayList<>();
        List<Acquisition> others = new ArrayList<>();
        for (Acquisition a : acquisitions) {
            if (a.progress() instanceof Progress.Done && a.ctx().resourceAttributes.isEmpty()) {
                ready.add(new LeaseStore.Move(a.lease().id(), "active on resource " + a.resource().id(), a.ctx().leaseAttributes,
                        a.ctx().logLines));
                outcomes.put(a.lease().id(), TaskOutcome.success());
            } else {
                others.add(a);
            }
        }
        if (!ready.isEmpty()) {
            // One statement needs no transaction (and no COMMIT round trip).
            engine.jdbi().useHandle(h -> LeaseStore.transitionAll(h, LeaseStatus.ACQUIRED, LeaseStatus.ACTIVE, ACTIVE_SETS, ready));
        }
        Map<Long, Acquisition> byLease = new HashMap<>();
        others.forEach(a -> byLease.put(a.lease().id(), a));
        outcomes.putAll(eachAlone(others.stream().map(Acquisition::lease).toList(), lease -> store(byLease.get(lease.id()))));
        return outcomes;
    }

    private TaskOutcome store(Acquisition a) {
        LeaseRow lease = a.lease();
        ResourceRow resource = a.resource();
        StepContext ctx = a.ctx();
        return switch (a.progress()) {
            case Progress.Done d -> {
                engine.jdbi().useTransaction(h -> {
                    ResourceStore.setAttributes(h, resource.id(), ctx.resourceAttributes);
                    LeaseStore.transition(h, lease, LeaseStatus.ACQUIRED, LeaseStatus.ACTIVE, "active on resource " + resource.id(),
                            ACTIVE_SETS, ctx.leaseAttributes, ctx.logLines);
                });
                yield TaskOutcome.success();
            }
            case Progress.CheckAgainIn again -> {
                engine.jdbi().useTransaction(h -> Engine.record(h, ctx, resource, a.blueprint(), lease.id()));
                yield TaskOutcome.yieldFor(again.delay());
            }
            case Progress.Failed failed -> {
                engine.jdbi().useTransaction(h -> {
                    Engine.record(h, ctx, resource, a.blueprint(), lease.id());
                    LeaseStore.transition(h, lease, LeaseStatus.ACQUIRED, LeaseStatus.BROKEN,
                            "blueprint " + a.blueprint().name() + " could not prepare resource " + resource.id() + " for it: " + failed.reason());
                    engine.tasks().updateLease(h, lease.id());
                });
                yield TaskOutcome.success();
            }
        };
    }

    /**
     * After release or breakage: let the blueprints clean up, give the capacity back (every lease of
     * the batch in one statement), wake waiters, and release resources left idle that their
     * blueprints do not keep.
     */
    private Map<Long, TaskOutcome> cleanUp(List<LeaseStore.Situation> ended) {
        Map<Long, TaskOutcome> outcomes = new HashMap<>();
        List<LeaseCapacity.Return> returns = new ArrayList<>();
        Map<Long, Map<String, String>> resourceAttributes = new HashMap<>();
        Map<Long, ResourceStore.Placed> resources = new HashMap<>();
        List<LeaseRow> unplaced = new ArrayList<>();
        for (LeaseStore.Situation situation : ended) {
            LeaseRow lease = situation.lease();
            if (situation.placed().isEmpty()) {
                unplaced.add(lease);
                continue;
            }
            ResourceRow resource = situation.placed().get().resource();
            BlueprintRow blueprint = situation.placed().get().blueprint();
            BlueprintRegistry.Configured c = engine.configured(blueprint);
            StepContext ctx = new StepContext(Engine.view(resource, blueprint), Engine.view(lease));
            try {
                if (resource.status() == ResourceStatus.ACTIVE) {
                    // A broken or released resource is being destroyed whole; its host may not even answer.
                    Engine.impl(c).releaseLease(c.config(), ctx.forResource(), ctx);
                }
            } catch (RuntimeException e) {
                outcomes.putAll(eachAlone(List.of(lease), l -> {
                    throw e;
                }));
                continue;
            }
            returns.add(new LeaseCapacity.Return(lease.id(), lease.status(), ended(lease) + "; cleaned up on resource " + resource.id(),
                    ctx.leaseAttributes, ctx.logLines));
            if (!ctx.resourceAttributes.isEmpty()) {
                resourceAttributes.computeIfAbsent(resource.id(), id -> new java.util.TreeMap<>()).putAll(ctx.resourceAttributes);
            }
            resources.put(resource.id(), situation.placed().get());
            outcomes.put(lease.id(), TaskOutcome.success()); // also when another change won: it queued what follows from it
        }
        outcomes.putAll(eachAlone(unplaced, lease -> {
            engine.jdbi().useHandle(h -> LeaseStore.transition(h, lease, lease.status(), LeaseStatus.DESTROYED, ended(lease)));
            return TaskOutcome.success();
        }));
        if (returns.isEmpty()) {
            return outcomes;
        }
        List<String> types = resources.values().stream().map(p -> p.resource().resourceType()).distinct().toList();
        LeaseCapacity.GivenBack given = engine.jdbi().withHandle(h -> LeaseCapacity.giveBack(h, returns, resourceAttributes, types,
                Engine.WAKE_BATCH));
        // Follow-ups, after the slots are back: waking waiters is a hint (they also retry on their own
        // backoff), and an idle resource the blueprint does not keep is also found by the janitor.
        List<ResourceStore.Placed> dropIdle = given.leftOnResource().entrySet().stream()
                .filter(left -> left.getValue() == 0)
                .map(left -> resources.get(left.getKey()))
                .filter(p -> {
                    BlueprintRegistry.Configured c = engine.configured(p.blueprint());
                    return !Engine.impl(c).shouldKeep(c.config(), Engine.view(p.resource(), p.blueprint()), Duration.ZERO);
                })
                .toList();
        if (!given.waiting().isEmpty() || !dropIdle.isEmpty()) {
            engine.jdbi().useTransaction(h -> {
                engine.tasks().updateLeases(h, given.waiting());
                for (ResourceStore.Placed p : dropIdle) {
                    if (ResourceStore.transition(h, p.resource(), ResourceStatus.ACTIVE, ResourceStatus.RELEASED,
                            "idle, and blueprint " + p.blueprint().name() + " does not keep idle resources")) {
                        engine.tasks().updateResource(h, p.resource().id());
                    }
                }
            });
        }
        return outcomes;
    }

    /** The final reason keeps the one that ended the lease: it is what the holder and `why` show. */
    private static String ended(LeaseRow lease) {
        return (lease.status() == LeaseStatus.BROKEN ? "broke: " : "released: ") + lease.statusReason();
    }

    private TaskOutcome breakLease(LeaseRow lease, String reason) {
        engine.jdbi().useTransaction(h -> {
            if (LeaseStore.transition(h, lease, LeaseStatus.PENDING, LeaseStatus.BROKEN, reason)) {
                engine.tasks().updateLease(h, lease.id());
            }
        });
        return TaskOutcome.success();
    }

    private Candidates candidates(LeaseRow lease, List<BlueprintRow> ofType) {
        Map<String, String> declined = new LinkedHashMap<>();
        List<Candidate> usable = new ArrayList<>();
        LeaseView view = Engine.view(lease);
        for (BlueprintRow b : ofType) {
            if (!lease.allowedBlueprints().isEmpty() && !lease.allowedBlueprints().contains(b.name())) {
                declined.put(b.name(), "not among the blueprints the lease allows " + lease.allowedBlueprints());
            } else if (!b.enabled()) {
                declined.put(b.name(), "disabled");
            } else {
                Optional<BlueprintRegistry.Configured> c = engine.configuredIfKnown(b);
                if (c.isEmpty()) {
                    declined.put(b.name(), "type " + b.type() + " has no implementation in this taskmaster");
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
        return new Candidates(usable, declined);
    }

    private record Candidate(BlueprintRow blueprint, BlueprintRegistry.Configured configured) {}

    /** Thrown inside the build transaction to roll it back when every slot is taken. */
    private static final class NoFreeSlot extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoFreeSlot() {
            super(null, null, false, false);
        }
    }

    private record Candidates(List<Candidate> usable, Map<String, String> declined) {
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
