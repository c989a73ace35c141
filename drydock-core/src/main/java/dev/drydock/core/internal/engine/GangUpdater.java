package dev.drydock.core.internal.engine;

import dev.drydock.api.GangStatus;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.api.spi.Progress;
import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import dev.drydock.core.internal.store.GangStore;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a gang (docs/planner.md): a WAITING gang is planned and, if every member fits, its
 * places are reserved in one transaction ({@link GangReservation}); a RESERVED gang's members take the
 * resources built for them and are prepared by their blueprints, staying ACQUIRED; when all are
 * prepared, one transaction makes them all ACTIVE. A member that loses its place or its build
 * before then undoes the admission: everything is given back and the gang waits again, keeping its
 * place in the request order and its deadline. At the deadline, on a refusal that waiting cannot
 * cure, or when a member is released, the gang breaks, and with it every member not ended.
 */
public final class GangUpdater implements TaskHandler {
    private static final Logger LOG = LoggerFactory.getLogger(GangUpdater.class);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private final Engine engine;
    private final Activation activation;
    private final GangPlanner planner;

    public GangUpdater(Engine engine) {
        this.engine = engine;
        this.activation = new Activation(engine);
        this.planner = new GangPlanner(new Allocation(engine, activation));
    }

    @Override
    public TaskOutcome handle(Task task) {
        long id = Tasks.id(task.payload());
        Optional<Snapshot> read = engine.jdbi().withHandle(h -> GangStore.find(h, id).map(g -> new Snapshot(g, GangStore.members(h, id),
                DatabaseClock.readAt(h.createQuery("SELECT now()").mapTo(Instant.class).one()))));
        if (read.isEmpty()) {
            return TaskOutcome.success();
        }
        Snapshot s = read.get();
        GangStore.GangRow gang = s.gang();
        return switch (gang.status()) {
            case ACTIVE -> endIfAllEnded(s);
            case BROKEN, ENDED -> TaskOutcome.success();
            case WAITING, RESERVED -> {
                Optional<String> over = overBefore(s);
                yield over.isPresent() ? breakGang(gang, over.get()) : gang.status() == GangStatus.WAITING ? admit(s) : advance(s);
            }
        };
    }

    /** What the gang's update starts from: the gang, its members by id, and the database's clock. */
    private record Snapshot(GangStore.GangRow gang, List<GangStore.Member> members, DatabaseClock clock) {
        List<LeaseRow> leases() {
            return members.stream().map(GangStore.Member::lease).toList();
        }

        long firstMember() {
            return members.getFirst().lease().id();
        }
    }

    /** Why a gang not yet active is over, if it is: a member ended (released, or broken by an operator), or the deadline passed. */
    private static Optional<String> overBefore(Snapshot s) {
        for (LeaseRow m : s.leases()) {
            if (m.status().isDone()) {
                return Optional.of("member " + m.id() + " " + (m.status() == LeaseStatus.BROKEN ? "broke" : "was released")
                        + " before the gang was active: " + StepFailure.base(m.statusReason()));
            }
        }
        if (s.clock().isPast(s.gang().acquireDeadline())) {
            return Optional.of("not active by its acquire deadline (" + s.gang().acquireDeadline() + "); it was "
                    + StepFailure.base(s.gang().statusReason()));
        }
        return Optional.empty();
    }

    private TaskOutcome endIfAllEnded(Snapshot s) {
        if (s.leases().stream().allMatch(m -> m.status().isDone())) {
            engine.jdbi().useTransaction(h -> {
                if (GangStore.lock(h, s.gang().id()).isPresent()) {
                    GangStore.move(h, s.gang().id(), GangStatus.ACTIVE, GangStatus.ENDED, "every member ended");
                }
            });
        }
        return TaskOutcome.success();
    }

    // ---- waiting: plan, reserve all or nothing, or wait holding nothing ----

    private TaskOutcome admit(Snapshot s) {
        GangStore.GangRow gang = s.gang();
        Map<String, ResourceStore.Offers> offers = new TreeMap<>();
        Set<Long> builtForOthers = new HashSet<>();
        engine.jdbi().useHandle(h -> {
            s.leases().stream().map(LeaseRow::resourceType).distinct().forEach(t -> offers.put(t, ResourceStore.offers(h, t)));
            Long[] offered = offers.values().stream().flatMap(o -> o.withRoom().stream()).map(ResourceRow::id).toArray(Long[]::new);
            builtForOthers.addAll(h.createQuery("""
                            SELECT DISTINCT building_resource_id FROM dd_lease
                             WHERE building_resource_id = ANY(:ids) AND status = 'PENDING' AND gang_id IS DISTINCT FROM :g""")
                    .bind("ids", offered).bind("g", gang.id()).mapTo(Long.class).list());
        });
        GangPlanner.Verdict verdict;
        try {
            verdict = planner.plan(s.leases(), offers, builtForOthers, s.firstMember());
        } catch (RuntimeException e) {
            return waitFor(s, "a blueprint failed while the gang was planned: " + StepFailure.describe(e), Optional.empty());
        }
        return switch (verdict) {
            case GangPlanner.Verdict.Refused refused -> breakGang(gang, refused.reason());
            case GangPlanner.Verdict.Waits waits -> waitFor(s, waits.reason(), Optional.of(waits.needs()));
            case GangPlanner.Verdict.Fits fits -> switch (new GangReservation(engine).reserve(gang, s.leases(), fits)) {
                case GangReservation.Outcome.Reserved reserved -> TaskOutcome.yieldFor(Duration.ZERO); // prepare the members next
                case GangReservation.Outcome.Missed missed -> waitFor(s, "room it planned on was taken meanwhile: " + missed.reason(),
                        Optional.empty());
            };
        };
    }

    /**
     * Waits holding nothing: records why, makes the gang the head gang of the blueprints it needs
     * room on where no older gang is ({@code needs}, when planning found them; its holds stay as they
     * are otherwise), and looks again after the backoff, or sooner when room appears (the wake-ups of
     * waiting leases find it through its first member of each type).
     */
    private TaskOutcome waitFor(Snapshot s, String reason, Optional<Map<Long, GangPlanner.Need>> needs) {
        engine.jdbi().useTransaction(h -> {
            GangStore.waiting(h, s.gang().id(), reason);
            needs.ifPresent(n -> {
                n.forEach((blueprint, need) -> GangStore.hold(h, blueprint, s.firstMember(), need.places(), need.builds()));
                GangStore.releaseHolds(h, s.firstMember(), n.keySet());
            });
        });
        return TaskOutcome.yieldFor(backoff(s.gang().waits(), s));
    }

    /** Doubling from 100 ms, at most 30 s, never past the deadline. */
    private static Duration backoff(int waits, Snapshot s) {
        long backoffMs = Math.min(MAX_WAIT.toMillis(), 100L << Math.min(waits, 10));
        long untilDeadline = Math.max(0, Duration.between(s.clock().now(), s.gang().acquireDeadline()).toMillis());
        return Duration.ofMillis(Math.min(backoffMs, untilDeadline + 10));
    }

    // ---- reserved: take the built resources, prepare, activate together ----

    private TaskOutcome advance(Snapshot s) {
        Optional<Duration> again = Optional.empty();
        boolean allPrepared = true;
        for (GangStore.Member member : s.members()) {
            // a prepared member whose resource broke is PENDING again, by a transition that keeps prepared_at
            if (member.prepared() && member.lease().status() == LeaseStatus.ACQUIRED) {
                continue;
            }
            allPrepared = false;
            Step step = prepare(s, member.lease());
            switch (step) {
                case Step.Lost lost -> {
                    return undo(s, lost.reason());
                }
                case Step.Later later -> again = Optional.of(again.filter(a -> a.compareTo(later.after()) < 0).orElse(later.after()));
                case Step.Ready ready -> { }
            }
        }
        if (!allPrepared) {
            // every member that was ready is prepared now: look again at once, or when the rest can be
            return TaskOutcome.yieldFor(again.orElse(Duration.ZERO));
        }
        boolean active = engine.jdbi().inTransaction(h -> GangReservation.activate(h, s.gang()));
        if (!active) {
            return TaskOutcome.yieldFor(Duration.ZERO); // a member moved meanwhile: its change is read next
        }
        return TaskOutcome.success();
    }

    /** What one member's step came to. */
    private sealed interface Step {
        /** Prepared (or ready to be, next time round). */
        record Ready() implements Step {}

        /** Still being built or prepared: look again after this long (woken sooner by its build). */
        record Later(Duration after) implements Step {}

        /** It lost what the admission gave it: the gang must give everything back. */
        record Lost(String reason) implements Step {}
    }

    private Step prepare(Snapshot s, LeaseRow member) {
        LeaseRow placed = member;
        if (member.status() == LeaseStatus.PENDING) {
            Optional<Long> building = member.buildingResourceId();
            if (building.isEmpty()) {
                return new Step.Lost("member " + member.id() + " lost its place: " + StepFailure.base(member.statusReason()));
            }
            Optional<ResourceRow> resource = engine.jdbi().withHandle(h -> ResourceStore.find(h, building.get()));
            if (resource.isPresent() && resource.get().status() == ResourceStatus.PENDING) {
                return new Step.Later(MAX_WAIT);
            }
            if (resource.isEmpty() || resource.get().status() != ResourceStatus.ACTIVE) {
                return new Step.Lost("resource " + building.get() + " could not be built for member " + member.id()
                        + resource.map(r -> ": " + r.statusReason()).orElse(""));
            }
            String reason = "acquired on resource " + building.get() + ", built for it as a member of gang " + s.gang().id();
            switch (engine.jdbi().withHandle(h -> LeaseCapacity.take(h, member.id(), building.get(), reason))) {
                case LeaseCapacity.Taken.OnResource on -> placed = member.acquiredOn(on.resource().id());
                case LeaseCapacity.Taken.Full full -> {
                    return new Step.Lost("resource " + building.get() + ", built for member " + member.id() + ", was taken by another lease");
                }
                case LeaseCapacity.Taken.LeaseMoved moved -> {
                    return new Step.Later(Duration.ZERO); // released meanwhile: the next look breaks the gang
                }
            }
        }
        Optional<LeaseStore.Situation> situation = engine.jdbi().withHandle(h -> LeaseStore.situation(h, member.id()));
        Optional<ResourceStore.Placed> on = situation.flatMap(LeaseStore.Situation::placed);
        if (on.isEmpty() || on.get().resource().status() != ResourceStatus.ACTIVE) {
            return new Step.Lost("member " + member.id() + " lost its place: its resource is no longer active");
        }
        Activation.Acquisition a;
        try {
            a = activation.prepare(placed, on.get().resource(), on.get().blueprint());
        } catch (RuntimeException e) {
            return new Step.Lost("blueprint " + on.get().blueprint().name() + " failed preparing member " + member.id() + ": " + StepFailure.describe(e));
        }
        StepContext ctx = a.ctx();
        ResourceRow resource = on.get().resource();
        return switch (a.progress()) {
            case Progress.Done d -> {
                boolean stored = engine.jdbi().inTransaction(h -> {
                    Engine.record(h, ctx, resource, a.blueprint(), member.id());
                    return GangStore.prepared(h, member.id(), resource.id(), "prepared on resource " + resource.id()
                            + "; waiting for the other members of gang " + s.gang().id() + " to be ready, to become active with them");
                });
                if (!stored) {
                    activation.undo(a);
                }
                yield stored ? new Step.Ready() : new Step.Later(Duration.ZERO);
            }
            case Progress.CheckAgainIn checkAgain -> {
                engine.jdbi().useTransaction(h -> {
                    Engine.record(h, ctx, resource, a.blueprint(), member.id());
                    LeaseStore.setReason(h, member.id(), LeaseStatus.ACQUIRED, "being prepared on resource " + resource.id() + " by blueprint "
                            + a.blueprint().name() + " as a member of gang " + s.gang().id() + ": " + checkAgain.waitingFor());
                });
                yield new Step.Later(checkAgain.delay());
            }
            case Progress.Failed failed -> {
                engine.jdbi().useTransaction(h -> Engine.record(h, ctx, resource, a.blueprint(), member.id()));
                yield new Step.Lost("blueprint " + a.blueprint().name() + " could not prepare resource " + resource.id() + " for member "
                        + member.id() + ": " + failed.reason());
            }
        };
    }

    // ---- giving back ----

    /**
     * Gives back everything the admission took and queues the gang again, keeping its deadline and
     * its place in the request order: members' preparations are undone by their blueprints first
     * (outside the transaction), then in one transaction every ACQUIRED member goes back to PENDING
     * with its place returned, members waiting for builds stop waiting for them (a build still
     * running finishes as an idle resource its blueprint keeps or destroys), and the gang is WAITING.
     */
    private TaskOutcome undo(Snapshot s, String reason) {
        List<LeaseStore.Situation> placed = engine.jdbi().withHandle(h -> s.leases().stream()
                .flatMap(m -> LeaseStore.situation(h, m.id()).stream())
                .filter(x -> x.lease().status() == LeaseStatus.ACQUIRED && x.placed().isPresent()).toList());
        for (LeaseStore.Situation x : placed) {
            releasePreparation(x);
        }
        engine.jdbi().useTransaction(h -> {
            if (GangStore.lock(h, s.gang().id()).filter(g -> g.status() == GangStatus.RESERVED).isEmpty()) {
                return;
            }
            List<Long> wake = new ArrayList<>();
            for (GangStore.Member m : GangStore.lockMembers(h, s.gang().id())) {
                LeaseRow lease = m.lease();
                if (lease.status() == LeaseStatus.ACQUIRED) {
                    GangStore.unplace(h, lease, "waiting as a member of gang " + s.gang().id() + ": its admission was undone: " + reason);
                    wake.add(lease.resourceId().orElseThrow());
                } else if (lease.status() == LeaseStatus.PENDING && lease.buildingResourceId().isPresent()) {
                    LeaseStore.setBuilding(h, lease.id(), null);
                }
            }
            GangStore.forgetPreparations(h, s.gang().id());
            GangStore.move(h, s.gang().id(), GangStatus.RESERVED, GangStatus.WAITING, "last try: " + reason + "; waiting to be admitted again");
            if (!wake.isEmpty()) {
                // places came back: the oldest waiting leases of those types may use them
                s.leases().stream().map(LeaseRow::resourceType).distinct().forEach(t -> engine.wakeWaiters(h, t));
            }
        });
        LOG.debug("gang {}: admission undone: {}", s.gang().id(), reason);
        long backoffMs = Math.min(MAX_WAIT.toMillis(), 100L << Math.min(s.gang().tries(), 10));
        return TaskOutcome.yieldFor(Duration.ofMillis(backoffMs));
    }

    /** The blueprint's releaseLease for a member it may have prepared; a failure is left for the resource's destruction. */
    private void releasePreparation(LeaseStore.Situation x) {
        ResourceStore.Placed on = x.placed().orElseThrow();
        if (on.resource().status() != ResourceStatus.ACTIVE) {
            return;
        }
        try {
            BlueprintRegistry.Configured c = engine.configured(on.resource(), on.blueprint());
            StepContext ctx = engine.context(on.resource(), on.blueprint(), x.lease());
            BlueprintImplementation<Record> impl = Engine.impl(c);
            impl.releaseLease(c.config(), ctx.forResource(), ctx);
        } catch (RuntimeException e) {
            LOG.warn("gang member {}: undoing blueprint {}'s preparation on resource {} failed; what it made stays until the resource is destroyed",
                    x.lease().id(), on.blueprint().name(), on.resource().id(), e);
        }
    }

    /**
     * Breaks the gang and every member not ended, naming why; their clean-ups give back any place
     * they held (members only ever hold what a whole admission gave them).
     */
    private TaskOutcome breakGang(GangStore.GangRow gang, String reason) {
        engine.jdbi().useTransaction(h -> {
            Optional<GangStore.GangRow> locked = GangStore.lock(h, gang.id());
            if (locked.isEmpty() || locked.get().status().isDone() || locked.get().status() == GangStatus.ACTIVE) {
                return;
            }
            List<GangStore.Member> members = GangStore.lockMembers(h, gang.id());
            GangStore.move(h, gang.id(), locked.get().status(), GangStatus.BROKEN, reason);
            List<Long> wake = new ArrayList<>();
            for (GangStore.Member m : members) {
                LeaseRow lease = m.lease();
                if (lease.status() == LeaseStatus.PENDING || lease.status() == LeaseStatus.ACQUIRED) {
                    LeaseStore.transition(h, lease, lease.status(), LeaseStatus.BROKEN, "its gang " + gang.id() + " broke: " + reason);
                    wake.add(lease.id());
                }
            }
            engine.tasks().updateLeases(h, wake);
            GangStore.releaseHolds(h, members.getFirst().lease().id(), List.of());
            // leases that waited behind its hold may take the room now
            members.stream().map(m -> m.lease().resourceType()).distinct().forEach(t -> engine.wakeWaiters(h, t));
        });
        return TaskOutcome.success();
    }
}
