package dev.drydock.core.internal.engine;

import dev.drydock.api.LeaseStatus;
import dev.drydock.api.spi.Progress;
import dev.drydock.core.WorkEvent;
import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.core.internal.store.ResourceRow;
import dev.drydock.core.internal.store.ResourceStore;
import dev.drydock.core.internal.store.SubLeaseStore;
import dev.drydock.taskqueue.TaskOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease ACQUIRED on a resource becomes ACTIVE: its blueprint prepares it ({@code acquireLease},
 * outside any transaction), and what that came to is stored — for a batch, the leases ready at once
 * in one statement.
 */
final class Activation {
    private static final Logger LOG = LoggerFactory.getLogger(Activation.class);
    private final Engine engine;

    Activation(Engine engine) {
        this.engine = engine;
    }

    /** A lease just ACQUIRED on a resource, and what its blueprint's acquireLease came to and recorded. */
    record Acquisition(LeaseRow lease, ResourceRow resource, BlueprintRow blueprint, StepContext ctx, Progress progress) {}

    /** Runs the blueprint's acquireLease for a lease ACQUIRED on {@code resource}; stores nothing. */
    Acquisition prepare(LeaseRow lease, ResourceRow resource, BlueprintRow blueprint) {
        BlueprintRegistry.Configured c = engine.configured(resource, blueprint);
        StepContext ctx = engine.context(resource, blueprint, lease).acquiring();
        Progress progress = Engine.impl(c).acquireLease(c.config(), ctx.forResource(), ctx);
        return new Acquisition(lease, resource, blueprint, ctx, progress);
    }

    /**
     * Undoes a {@link #prepare} whose lease did not get its share of the resource after all (its
     * blueprint acquires leases ahead): the blueprint's releaseLease, whose log lines are not
     * stored, since nothing of the attempt was. A failure is logged and left for the resource's
     * destruction, which removes what acquireLease made.
     */
    void undo(Acquisition a) {
        try {
            BlueprintRegistry.Configured c = engine.configured(a.resource(), a.blueprint());
            StepContext ctx = engine.context(a.resource(), a.blueprint(), a.lease());
            Engine.impl(c).releaseLease(c.config(), ctx.forResource(), ctx);
        } catch (RuntimeException e) {
            LOG.warn("lease {}: undoing blueprint {}'s acquireLease on resource {} failed; what it made stays until the resource is destroyed",
                    a.lease().id(), a.blueprint().name(), a.resource().id(), e);
        }
    }

    /** Prepares one lease ACQUIRED on {@code resource} and stores what that came to. */
    TaskOutcome activate(LeaseRow lease, ResourceRow resource, BlueprintRow blueprint) {
        return activate(List.of(prepare(lease, resource, blueprint))).get(lease.id());
    }

    /**
     * Stores what acquiring came to. The leases their blueprints made ready without recording
     * anything on the resource (the usual case) become ACTIVE together in one statement; the rest
     * are stored one by one.
     */
    Map<Long, TaskOutcome> activate(List<Acquisition> acquisitions) {
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
            java.util.Set<Long> moved = engine.jdbi().withHandle(h ->
                    LeaseStore.transitionAll(h, LeaseStatus.ACQUIRED, LeaseStatus.ACTIVE, LeaseStore.ACTIVE_SETS, ready));
            acquisitions.stream().filter(a -> moved.contains(a.lease().id())).forEach(this::activated);
        }
        Map<Long, Acquisition> byLease = new HashMap<>();
        others.forEach(a -> byLease.put(a.lease().id(), a));
        outcomes.putAll(PerLease.each(others.stream().map(Acquisition::lease).toList(), lease -> store(byLease.get(lease.id()))));
        return outcomes;
    }

    /**
     * An ACQUIRED lease past its acquire deadline breaks (what it waited for in the reason, and how
     * each sub-lease taken for it that is not active is now: the blueprint's step, which recorded
     * the reason, runs again only when a sub-lease ends or becomes active, so the reason it gave may
     * be stale); its clean-up gives its share of the resource back.
     */
    TaskOutcome breakOverdue(LeaseRow lease) {
        engine.jdbi().useTransaction(h -> {
            String subLeasesNow = lease.resourceId().map(owner -> SubLeaseStore.of(h, owner).stream()
                    .filter(o -> o.forLease().filter(id -> id == lease.id()).isPresent() && o.lease().status() != LeaseStatus.ACTIVE)
                    .map(o -> "; its sub-lease '" + o.name() + "' (lease " + o.lease().id() + ") is now " + o.lease().status() + ": "
                            + o.lease().statusReason())
                    .collect(java.util.stream.Collectors.joining())).orElse("");
            if (LeaseStore.transition(h, lease, LeaseStatus.ACQUIRED, LeaseStatus.BROKEN,
                    "not active by its acquire deadline; it was " + StepFailure.base(lease.statusReason()) + subLeasesNow)) {
                engine.tasks().updateLease(h, lease.id());
            }
        });
        return TaskOutcome.success();
    }

    /**
     * Tells the listeners that {@code a}'s lease became ACTIVE (here, or in the statement that took
     * its share, for a blueprint that acquires leases ahead). The latency is this JVM's clock against
     * the row's created_at, which the database's clock set: with both in step (NTP) the error is
     * milliseconds; a JVM clock behind the database's counts as zero rather than negative.
     */
    void activated(Acquisition a) {
        engine.listeners().tell(new WorkEvent.LeaseActivated(a.blueprint().name(), a.blueprint().type(),
                WorkListeners.atLeastZero(Duration.between(a.lease().createdAt(), java.time.Instant.now()))));
    }

    private TaskOutcome store(Acquisition a) {
        LeaseRow lease = a.lease();
        ResourceRow resource = a.resource();
        StepContext ctx = a.ctx();
        return switch (a.progress()) {
            case Progress.Done d -> {
                if (engine.jdbi().inTransaction(h -> {
                    ResourceStore.setAttributes(h, resource.id(), ctx.resourceAttributes);
                    return LeaseStore.transition(h, lease, LeaseStatus.ACQUIRED, LeaseStatus.ACTIVE, "active on resource " + resource.id(),
                            LeaseStore.ACTIVE_SETS, ctx.leaseAttributes, ctx.logLines);
                })) {
                    activated(a);
                }
                yield TaskOutcome.success();
            }
            case Progress.CheckAgainIn again -> {
                engine.jdbi().useTransaction(h -> {
                    Engine.record(h, ctx, resource, a.blueprint(), lease.id());
                    // what the lease waits for is what its holder and `why` need to see
                    LeaseStore.setReason(h, lease.id(), LeaseStatus.ACQUIRED, "being prepared on resource " + resource.id() + " by blueprint "
                            + a.blueprint().name() + ": " + again.waitingFor());
                });
                // back by the deadline, which breaks it if it is still not ready
                long untilDeadline = Math.max(0, lease.acquireDeadline().toEpochMilli() - System.currentTimeMillis()) + 10;
                yield TaskOutcome.yieldFor(again.delay().toMillis() > untilDeadline ? Duration.ofMillis(untilDeadline) : again.delay());
            }
            case Progress.Failed failed -> {
                engine.jdbi().useTransaction(h -> {
                    Engine.record(h, ctx, resource, a.blueprint(), lease.id());
                    ResourceStore.markFailed(h, resource.id()); // placement ranks it lower for a while
                    LeaseStore.transition(h, lease, LeaseStatus.ACQUIRED, LeaseStatus.BROKEN,
                            "blueprint " + a.blueprint().name() + " could not prepare resource " + resource.id() + " for it: " + failed.reason());
                    engine.tasks().updateLease(h, lease.id());
                });
                yield TaskOutcome.success();
            }
        };
    }
}
