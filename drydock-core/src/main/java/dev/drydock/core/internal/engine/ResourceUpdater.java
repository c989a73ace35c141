package dev.drydock.core.internal.engine;

import dev.drydock.api.ResourceStatus;
import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.api.spi.Progress;
import dev.drydock.core.WorkEvent;
import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.BlueprintStore;
import dev.drydock.core.internal.store.EventLog;
import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.core.internal.store.ResourceRow;
import dev.drydock.core.internal.store.ResourceStore;
import dev.drydock.core.internal.store.WarmPoolStore;
import dev.drydock.taskqueue.Task;
import dev.drydock.taskqueue.TaskHandler;
import dev.drydock.taskqueue.TaskOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Drives one resource: build it (allocate, then activate until done), and destroy it once released
 * or broken, giving its place in the blueprint's limit back in the same transaction.
 */
public final class ResourceUpdater implements TaskHandler {
    private static final String ALLOCATED = "drydock.allocated";
    private final Engine engine;

    public ResourceUpdater(Engine engine) {
        this.engine = engine;
    }

    /**
     * The handler of resource updates queued under the one kind of the days before routing by type
     * (decision 45): each is queued again under its type's kind.
     */
    public static TaskHandler forwardingToTypes(Engine engine) {
        return task -> {
            long id = Tasks.id(task.payload());
            engine.jdbi().useTransaction(h -> {
                if (ResourceStore.find(h, id).isPresent()) {
                    engine.tasks().updateResource(h, id);
                }
            });
            return TaskOutcome.success();
        };
    }

    @Override
    public TaskOutcome handle(Task task) {
        long id = Tasks.id(task.payload());
        Optional<ResourceRow> found = engine.jdbi().withHandle(h -> ResourceStore.find(h, id));
        if (found.isEmpty()) {
            return TaskOutcome.success();
        }
        ResourceRow resource = found.get();
        return switch (resource.status()) {
            case PENDING -> breakIfSubLeaseEnded(resource).orElseGet(() -> build(resource));
            case RELEASED, BROKEN -> destroy(resource);
            case ACTIVE -> breakIfSubLeaseEnded(resource).orElseGet(() -> checkHealth(resource));
            case DESTROYED -> TaskOutcome.success();
        };
    }

    /**
     * A resource one of whose sub-leases broke or was released by someone else breaks, with a
     * reason that carries the sub-lease's own (DESIGN §11); empty when none did. The sub-lease's
     * change queued this update (migration V9's trigger).
     */
    private Optional<TaskOutcome> breakIfSubLeaseEnded(ResourceRow resource) {
        return engine.jdbi().inTransaction(h -> SubLeases.ownerBreaks(h, resource.id()).map(reason -> {
            if (resource.status() == ResourceStatus.PENDING) {
                Breakage.breakPending(h, engine, resource, reason);
            } else {
                Breakage.breakResource(h, engine, resource, reason);
            }
            return TaskOutcome.success();
        }));
    }

    /** Asks the blueprint whether an active resource still works; breaks it (and its leases) if not. */
    private TaskOutcome checkHealth(ResourceRow resource) {
        BlueprintRow blueprint = engine.jdbi().withHandle(h -> engine.blueprintOf(h, resource));
        StepContext ctx = engine.context(resource, blueprint, null);
        dev.drydock.api.spi.Decision health;
        try {
            BlueprintRegistry.Configured c = engine.configured(resource, blueprint);
            health = Engine.impl(c).checkHealth(c.config(), ctx.forResource());
        } catch (RuntimeException e) {
            health = dev.drydock.api.spi.Decision.no("health check failed: " + e.getMessage());
        }
        dev.drydock.api.spi.Decision verdict = health;
        engine.jdbi().useTransaction(h -> {
            Engine.record(h, ctx, resource, blueprint, null);
            ResourceStore.markChecked(h, resource.id());
            if (verdict instanceof dev.drydock.api.spi.Decision.No no) {
                Breakage.breakResource(h, engine, resource, no.reason());
            }
        });
        return TaskOutcome.success();
    }

    private TaskOutcome build(ResourceRow resource) {
        // A build step reads the lease it builds for with its blueprint: builds are few, leases are many.
        Optional<Long> causeId = Cause.of(resource);
        record Read(BlueprintRow blueprint, Optional<LeaseRow> cause, Optional<WarmPoolStore.WarmPoolRow> pool) {}
        Read read = engine.jdbi().withHandle(h -> new Read(engine.blueprintOf(h, resource),
                causeId.flatMap(id -> LeaseStore.find(h, id)), causeId.isPresent() ? Optional.empty() : WarmPoolStore.poolOf(h, resource.id())));
        BlueprintRow blueprint = read.blueprint();
        // a warm build is built for its pool's attributes as a lease's is for the lease's
        StepContext ctx = engine.context(resource, blueprint, null).building(read.cause().map(Engine::view)
                .or(() -> read.pool().map(pool -> Planner.view(blueprint, pool))));
        Optional<BlueprintRegistry.Configured> known;
        try {
            known = engine.configuredIfKnown(resource, blueprint); // the configuration stored with the row (decision 42)
        } catch (RuntimeException e) {
            // Refused by this code: no retry fixes it, and holding the place would starve the leases.
            return breakBuild(ctx, resource, blueprint, "blueprint " + blueprint.name() + "'s stored configuration is refused: "
                    + StepFailure.describe(e) + "; fix it with drydock-control blueprint update");
        }
        if (known.isEmpty()) {
            return failed(ctx, resource, blueprint, "blueprint type " + blueprint.type() + " has no implementation in this taskmaster",
                    Duration.ofDays(1));
        }
        BlueprintRegistry.Configured c = known.get();
        BlueprintImplementation<Record> impl = Engine.impl(c);
        Duration timeout = impl.buildTimeout(c.config());
        // On the database's clock, which set created_at: a taskmaster whose clock is off must not cut builds short.
        Duration age = engine.jdbi().withHandle(h -> ResourceStore.age(h, resource.id()));
        long stepStarted = System.nanoTime();
        Duration left = timeout.minus(age);
        if (left.isNegative()) {
            return breakBuild(ctx, resource, blueprint, "not built within blueprint " + blueprint.name() + "'s build timeout of "
                    + StepFailure.seconds(timeout) + " s; it was " + StepFailure.base(resource.statusReason()));
        }
        if (StepFailure.failures(resource.attributes()) > 0) {
            ctx.resourceAttributes.put(StepFailure.FAILURES, "0"); // this try is stored either way: the run of failures ended
        }
        Progress progress;
        try {
            if (!resource.attributes().containsKey(ALLOCATED)) {
                progress = impl.allocate(c.config(), ctx.forResource());
                ctx.resourceAttributes.put(ALLOCATED, "true");
                if (progress instanceof Progress.Done) {
                    progress = impl.activate(c.config(), ctx.forResource());
                }
            } else {
                progress = impl.activate(c.config(), ctx.forResource());
            }
        } catch (RuntimeException e) {
            return failed(ctx, resource, blueprint, "blueprint " + blueprint.name() + " failed building it: " + StepFailure.describe(e), left);
        }
        return switch (progress) {
            case Progress.Done d -> {
                boolean built = engine.jdbi().inTransaction(h -> {
                    Engine.record(h, ctx, resource, blueprint, null);
                    if (!ResourceStore.transition(h, resource, ResourceStatus.PENDING, ResourceStatus.ACTIVE, "built and ready")) {
                        return false;
                    }
                    h.createUpdate("UPDATE dd_resource SET idle_since = now(), ready_at = now() WHERE id = :id").bind("id", resource.id()).execute();
                    read.pool().ifPresent(pool -> WarmPoolStore.buildSucceeded(h, pool.id()));
                    // One batch for both, so its keys are taken in one order (see Tasks.updateLeases).
                    List<Long> wake = new ArrayList<>(LeaseStore.buildingOn(h, resource.id()));
                    wake.addAll(LeaseStore.oldestPending(h, resource.resourceType(), Engine.WAKE_BATCH));
                    engine.tasks().updateLeases(h, wake);
                    return true;
                });
                if (built) {
                    // the row's age on the database's clock when this step began, and the step on this JVM's monotonic clock
                    engine.listeners().tell(new WorkEvent.Built(blueprint.name(), blueprint.type(),
                            age.plusNanos(System.nanoTime() - stepStarted)));
                }
                yield TaskOutcome.success();
            }
            case Progress.CheckAgainIn again -> {
                engine.jdbi().useTransaction(h -> {
                    Engine.record(h, ctx, resource, blueprint, null);
                    h.createUpdate("UPDATE dd_resource SET status_reason = :r WHERE id = :id AND status = 'PENDING'")
                            .bind("r", "being built: " + again.waitingFor()).bind("id", resource.id()).execute();
                });
                yield TaskOutcome.yieldFor(atMost(again.delay(), left));
            }
            case Progress.Failed failed -> breakBuild(ctx, resource, blueprint,
                    "blueprint " + blueprint.name() + " could not build it: " + failed.reason(), read.pool());
        };
    }

    /**
     * A build step that threw: recorded (the error in the status reason, the count of failures in a
     * row), and tried again on the engine's backoff, never later than the build timeout.
     */
    private TaskOutcome failed(StepContext ctx, ResourceRow resource, BlueprintRow blueprint, String error, Duration left) {
        int failures = StepFailure.failures(resource.attributes()) + 1;
        Duration delay = atMost(engine.retry().after(failures), left);
        ctx.resourceAttributes.put(StepFailure.FAILURES, Integer.toString(failures));
        engine.jdbi().useTransaction(h -> {
            Engine.record(h, ctx, resource, blueprint, null);
            ResourceStore.setReason(h, resource.id(), ResourceStatus.PENDING, StepFailure.reason(resource.statusReason(), error, failures, delay));
            EventLog.resource(h, resource.id(), blueprint.id(), "resource " + resource.id() + " PENDING: " + error + "; trying again in "
                    + StepFailure.seconds(delay) + " s");
        });
        engine.listeners().tell(new WorkEvent.BuildStepFailed(blueprint.name(), blueprint.type()));
        return TaskOutcome.yieldFor(delay);
    }

    /** Breaks a resource being built, queues its destruction and wakes the leases waiting for it. */
    private TaskOutcome breakBuild(StepContext ctx, ResourceRow resource, BlueprintRow blueprint, String reason) {
        return breakBuild(ctx, resource, blueprint, reason, engine.jdbi().withHandle(h -> WarmPoolStore.poolOf(h, resource.id())));
    }

    /** As above; a warm build that broke also backs its pool's next warm build off, so a dead cloud is not hammered. */
    private TaskOutcome breakBuild(StepContext ctx, ResourceRow resource, BlueprintRow blueprint, String reason,
                                   Optional<WarmPoolStore.WarmPoolRow> pool) {
        engine.jdbi().useTransaction(h -> {
            Engine.record(h, ctx, resource, blueprint, null);
            if (Breakage.breakPending(h, engine, resource, reason)) {
                pool.ifPresent(p -> WarmPoolStore.buildBroke(h, p.id(), engine.retry().after(p.failures() + 1)));
            }
        });
        engine.listeners().tell(new WorkEvent.BuildBroke(blueprint.name(), blueprint.type()));
        return TaskOutcome.success();
    }

    /** {@code delay}, but no later than just past {@code left}, so a deadline is kept. */
    private static Duration atMost(Duration delay, Duration left) {
        Duration limit = left.plusMillis(10);
        return delay.compareTo(limit) > 0 ? limit : delay;
    }

    private TaskOutcome destroy(ResourceRow resource) {
        BlueprintRow blueprint = engine.jdbi().withHandle(h -> engine.blueprintOf(h, resource));
        StepContext ctx = engine.context(resource, blueprint, null);
        Progress progress;
        long stepStarted = System.nanoTime();
        try {
            // The configuration it was built with (decision 42), read on every try: an operator who fixed a
            // mistaken one re-points the resource at it (Drydock.useCurrentConfig), which ends a failing destroy.
            BlueprintRegistry.Configured c = engine.configured(resource, blueprint);
            progress = Engine.impl(c).destroy(c.config(), ctx.forResource());
        } catch (RuntimeException e) {
            progress = Progress.failed(StepFailure.describe(e));
        }
        return switch (progress) {
            case Progress.Done d -> {
                Duration stepTook = Duration.ofNanos(System.nanoTime() - stepStarted);
                boolean destroyed = engine.jdbi().inTransaction(h -> {
                    Engine.record(h, ctx, resource, blueprint, null);
                    // Keep why it ended: an operator reading `resource list` later still sees it.
                    String ended = (resource.status() == ResourceStatus.BROKEN ? "broke: " : "released: ") + resource.statusReason();
                    if (!ResourceStore.transition(h, resource, resource.status(), ResourceStatus.DESTROYED, ended + "; destroyed")) {
                        return false;
                    }
                    // Its blueprint's destroy was the last step that could use them.
                    SubLeases.releaseOwned(h, engine, resource.id(), Optional.empty(), "released by its owner, resource " + resource.id()
                            + ", which was destroyed");
                    BlueprintStore.releaseResource(h, blueprint.id());
                    ResourceStore.deleteSlotLocks(h, resource.id());
                    if (resource.status() == ResourceStatus.RELEASED) {
                        // Room a healthy resource made. A broken one's place is not worth waking anyone
                        // for: that would undo the backoff of leases whose builds keep failing (a dead
                        // host would be rebuilt in a tight loop); their own backoff retries them.
                        engine.wakeWaiters(h, resource.resourceType());
                    }
                    return true;
                });
                if (destroyed) {
                    engine.listeners().tell(new WorkEvent.Destroyed(blueprint.name(), blueprint.type(), stepTook));
                }
                yield TaskOutcome.success();
            }
            case Progress.CheckAgainIn again -> {
                engine.jdbi().useTransaction(h -> Engine.record(h, ctx, resource, blueprint, null));
                yield TaskOutcome.yieldFor(again.delay());
            }
            case Progress.Failed failed -> {
                // Never given up: the resource keeps its place in the limit until it is really gone, and
                // a configuration the operator fixed and re-pointed it at, or a host that answers again, ends it.
                int failures = DestroyRetry.failures(resource.attributes()) + 1;
                Duration delay = engine.retry().after(failures);
                ctx.resourceAttributes.put(DestroyRetry.FAILURES, Integer.toString(failures));
                engine.jdbi().useTransaction(h -> {
                    Engine.record(h, ctx, resource, blueprint, null);
                    ResourceStore.setReason(h, resource.id(), resource.status(), DestroyRetry.reason(resource.id(), resource.statusReason(),
                            blueprint.name(), failed.reason(), failures, delay));
                    EventLog.resource(h, resource.id(), blueprint.id(), "resource " + resource.id() + " " + resource.status()
                            + ": blueprint " + blueprint.name() + " could not destroy it: " + failed.reason() + "; trying again in "
                            + StepFailure.seconds(delay) + " s");
                });
                engine.listeners().tell(new WorkEvent.DestroyStepFailed(blueprint.name(), blueprint.type()));
                yield TaskOutcome.yieldFor(delay);
            }
        };
    }
}
