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
import dev.drydock.taskqueue.TaskHandler;
import dev.drydock.taskqueue.TaskOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.HandleConsumer;

/**
 * Drives one lease through its states (DESIGN §4). Runs at most once at a time per lease (the
 * queue's serialization key); every state change is one transaction with its capacity change,
 * follow-up task and log row, guarded by the status it expects.
 */
public final class LeaseUpdater implements TaskHandler {
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private final Engine engine;

    public LeaseUpdater(Engine engine) {
        this.engine = engine;
    }

    @Override
    public TaskOutcome handle(Task task) {
        long id = Tasks.id(task.payload());
        Optional<LeaseStore.Situation> found = engine.jdbi().withHandle(h -> LeaseStore.situation(h, id));
        if (found.isEmpty()) {
            return TaskOutcome.success();
        }
        LeaseRow lease = found.get().lease();
        Optional<ResourceStore.Placed> placed = found.get().placed();
        return switch (lease.status()) {
            case PENDING -> allocate(lease);
            case ACQUIRED -> activate(lease, placed.orElseThrow().resource(), placed.orElseThrow().blueprint());
            case RELEASED, BROKEN -> cleanUp(lease, placed);
            case ACTIVE, DESTROYED -> TaskOutcome.success();
        };
    }

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
            if (!Engine.impl(c.configured()).canAcquire(c.configured().config(), Engine.view(resource, c.blueprint()), view).allowed()) {
                continue;
            }
            String reason = "acquired on resource " + resource.id() + " of blueprint " + c.blueprint().name();
            switch (engine.jdbi().withHandle(h -> LeaseCapacity.take(h, lease.id(), resource.id(), reason))) {
                case LeaseCapacity.Taken.OnResource taken -> {
                    return activate(lease.acquiredOn(resource.id()), taken.resource(), c.blueprint());
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

    private TaskOutcome activate(LeaseRow lease, ResourceRow resource, BlueprintRow blueprint) {
        BlueprintRegistry.Configured c = engine.configured(blueprint);
        BlueprintImplementation<Record> impl = Engine.impl(c);
        StepContext ctx = new StepContext(Engine.view(resource, blueprint), Engine.view(lease));
        Progress progress = impl.acquireLease(c.config(), ctx.forResource(), ctx);
        return switch (progress) {
            case Progress.Done d -> {
                String activeSets = ", activated_at = now(), expires_at = CASE WHEN ttl_ms IS NULL THEN NULL"
                        + " ELSE now() + ttl_ms * interval '1 millisecond' END";
                HandleConsumer<RuntimeException> store = h -> {
                    ResourceStore.setAttributes(h, resource.id(), ctx.resourceAttributes); // usually none: no statement
                    LeaseStore.transition(h, lease, LeaseStatus.ACQUIRED, LeaseStatus.ACTIVE, "active on resource " + resource.id(),
                            activeSets, ctx.leaseAttributes, ctx.logLines);
                };
                if (ctx.resourceAttributes.isEmpty()) {
                    engine.jdbi().useHandle(store); // one statement needs no transaction (and no COMMIT round trip)
                } else {
                    engine.jdbi().useTransaction(store);
                }
                yield TaskOutcome.success();
            }
            case Progress.CheckAgainIn again -> {
                engine.jdbi().useTransaction(h -> Engine.record(h, ctx, resource, blueprint, lease.id()));
                yield TaskOutcome.yieldFor(again.delay());
            }
            case Progress.Failed failed -> {
                engine.jdbi().useTransaction(h -> {
                    Engine.record(h, ctx, resource, blueprint, lease.id());
                    LeaseStore.transition(h, lease, LeaseStatus.ACQUIRED, LeaseStatus.BROKEN,
                            "blueprint " + blueprint.name() + " could not prepare resource " + resource.id() + " for it: " + failed.reason());
                    engine.tasks().updateLease(h, lease.id());
                });
                yield TaskOutcome.success();
            }
        };
    }

    /** After release or breakage: let the blueprint clean up, give the capacity back, wake waiters. */
    private TaskOutcome cleanUp(LeaseRow lease, Optional<ResourceStore.Placed> placed) {
        // The final reason keeps the one that ended the lease: it is what the holder and `why` show.
        String ended = (lease.status() == LeaseStatus.BROKEN ? "broke: " : "released: ") + lease.statusReason();
        if (placed.isEmpty()) {
            engine.jdbi().useHandle(h -> LeaseStore.transition(h, lease, lease.status(), LeaseStatus.DESTROYED, ended));
            return TaskOutcome.success();
        }
        ResourceRow resource = placed.get().resource();
        BlueprintRow blueprint = placed.get().blueprint();
        BlueprintRegistry.Configured c = engine.configured(blueprint);
        StepContext ctx = new StepContext(Engine.view(resource, blueprint), Engine.view(lease));
        if (resource.status() == ResourceStatus.ACTIVE) {
            // A broken or released resource is being destroyed whole; its host may not even answer.
            Engine.impl(c).releaseLease(c.config(), ctx.forResource(), ctx);
        }
        Optional<LeaseCapacity.GivenBack> given = engine.jdbi().withHandle(h -> LeaseCapacity.giveBack(h, lease.id(), lease.status(),
                ended + "; cleaned up on resource " + resource.id(), ctx.leaseAttributes, ctx.resourceAttributes, ctx.logLines,
                resource.resourceType(), Engine.WAKE_BATCH));
        if (given.isEmpty()) {
            return TaskOutcome.success(); // another change won; it queued what follows from it
        }
        // Follow-ups, after the slot is back: waking waiters is a hint (they also retry on their own
        // backoff), and an idle resource the blueprint does not keep is also found by the janitor.
        List<Long> waiting = given.get().waiting();
        boolean dropIdle = given.get().left() == 0
                && !Engine.impl(c).shouldKeep(c.config(), Engine.view(resource, blueprint), Duration.ZERO);
        if (!waiting.isEmpty() || dropIdle) {
            engine.jdbi().useTransaction(h -> {
                engine.tasks().updateLeases(h, waiting);
                if (dropIdle && ResourceStore.transition(h, resource, ResourceStatus.ACTIVE, ResourceStatus.RELEASED,
                        "idle, and blueprint " + blueprint.name() + " does not keep idle resources")) {
                    engine.tasks().updateResource(h, resource.id());
                }
            });
        }
        return TaskOutcome.success();
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
