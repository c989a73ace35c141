package dev.drydock.core.internal.engine;

import dev.drydock.api.ResourceStatus;
import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.BlueprintStore;
import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.core.internal.store.LeaseStore;
import dev.drydock.core.internal.store.ResourceRow;
import dev.drydock.core.internal.store.ResourceStore;
import dev.drydock.taskqueue.Task;
import dev.drydock.taskqueue.TaskHandler;
import dev.drydock.taskqueue.TaskOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The janitor's jobs that need a blueprint type's implementation, one perpetual task per type
 * ({@code drydock.janitor:TYPE}, architecture decision 45), run only by taskmasters that registered
 * the type: schedule health checks, and release idle resources their blueprints do not keep. So a
 * type's resources are checked and retired wherever the one janitor runs. Each job fails on its
 * own, and the task always yields.
 */
public final class TypeJanitor implements TaskHandler {
    private static final int IDLE_BATCH = 200;
    /** Waiting leases asked about one idle resource before it goes: enough to find one that fits. */
    private static final int WAITERS_ASKED = 20;
    private final Engine engine;
    /** Where each type's idle sweep goes on from: it walks idle resources in id order, a batch a pass. */
    private final Map<String, Long> idleAfter = new ConcurrentHashMap<>();
    /** How often the planners are woken without an event: a backstop, not how they learn of changes. */
    private static final Duration PLANNER_BACKSTOP = Duration.ofMinutes(1);
    /** When this process last woke each type's planners ({@link System#nanoTime()}). */
    private final Map<String, Long> plannersWoken = new ConcurrentHashMap<>();

    public TypeJanitor(Engine engine) {
        this.engine = engine;
    }

    @Override
    public TaskOutcome handle(Task task) {
        String type = task.kind().substring(Tasks.typeJanitorKind("").length());
        Janitor.guarded("release idle resources of type " + type, () -> releaseIdleResourcesTheirBlueprintsDoNotKeep(type));
        Janitor.guarded("schedule health checks of type " + type, () -> scheduleHealthChecks(type));
        long now = System.nanoTime();
        Long last = plannersWoken.get(type);
        if (last == null || now - last >= PLANNER_BACKSTOP.toNanos()) {
            plannersWoken.put(type, now);
            Janitor.guarded("wake the planners of type " + type, () -> wakePlanners(type));
        }
        return TaskOutcome.yieldFor(Janitor.INTERVAL);
    }

    /**
     * Queues a health check for each active resource that is due one, blueprint by blueprint: only
     * due resources are read, so resources of blueprints without checks (or not yet due) cannot
     * fill the batch and hide those that are.
     */
    private void scheduleHealthChecks(String type) {
        for (BlueprintRow b : engine.jdbi().withHandle(BlueprintStore::all)) {
            Duration interval = b.type().equals(type) ? healthCheckInterval(b) : Duration.ZERO;
            if (interval.isZero()) {
                continue;
            }
            engine.jdbi().useTransaction(h -> {
                List<Long> due = h.createQuery("""
                                SELECT id FROM dd_resource WHERE blueprint_id = :b AND status = 'ACTIVE'
                                  AND coalesce(checked_at, created_at) <= now() - :ms * interval '1 millisecond'
                                ORDER BY coalesce(checked_at, created_at) LIMIT 500""")
                        .bind("b", b.id()).bind("ms", interval.toMillis()).mapTo(Long.class).list();
                for (long id : due) {
                    ResourceStore.markChecked(h, id);
                    engine.tasks().updateResource(h, id);
                }
            });
        }
    }

    private Duration healthCheckInterval(BlueprintRow b) {
        try {
            return engine.configuredIfKnown(b).map(c -> Engine.impl(c).healthCheckInterval(c.config())).orElse(Duration.ZERO);
        } catch (RuntimeException e) {
            return Duration.ZERO; // its configuration is refused: its leases and builds say so
        }
    }

    /**
     * The backstop of the planners' wake-ups (docs/planner.md): each is queued by the transition
     * that concerns it, in its transaction; this catches what a restored backup or a hand-edited
     * row changed. A planner already queued absorbs it; {@code dd_plan_blueprint} itself skips a
     * blueprint whose pools expect nothing.
     */
    private void wakePlanners(String type) {
        engine.jdbi().useTransaction(h -> h.createQuery("""
                        SELECT dd_plan_blueprint(b.id) FROM dd_blueprint b
                         WHERE b.type = :type AND b.deleted_at IS NULL
                         ORDER BY b.id""")
                .bind("type", type).mapToMap().list());
    }

    /**
     * Asks each idle resource's blueprint whether to keep it; releases (then destroys) those it does
     * not. The sweep walks the type's idle resources in id order a batch per pass and starts over at
     * the end, so resources kept idle cannot hide the others. A resource a warm pool built and no
     * lease has used is the pool's planner's to retire, not the blueprint's idle policy's: an
     * idle timeout would destroy it seconds before the lease it waits for, and the planner would
     * build it again.
     */
    private void releaseIdleResourcesTheirBlueprintsDoNotKeep(String type) {
        List<IdleResource> idle = engine.jdbi().withHandle(h -> h.createQuery("""
                        SELECT r.id, (extract(epoch FROM now() - r.idle_since) * 1000)::bigint FROM dd_resource r
                        JOIN dd_blueprint b ON b.id = r.blueprint_id
                        WHERE r.status = 'ACTIVE' AND r.active_leases = 0 AND r.idle_since IS NOT NULL AND r.id > :after AND b.type = :type
                          AND NOT (r.warm_pool_id IS NOT NULL AND r.idle_since = r.ready_at
                                   AND EXISTS (SELECT 1 FROM dd_warm_pool p WHERE p.id = r.warm_pool_id AND p.min_ready > 0))
                        ORDER BY r.id LIMIT :limit""")
                .bind("after", idleAfter.getOrDefault(type, 0L)).bind("type", type).bind("limit", IDLE_BATCH)
                .map((rs, ctx) -> new IdleResource(rs.getLong(1), Duration.ofMillis(rs.getLong(2)))).list());
        idleAfter.put(type, idle.size() < IDLE_BATCH ? 0 : idle.getLast().id());
        for (IdleResource candidate : idle) {
            Janitor.guarded("ask about idle resource " + candidate.id(), () -> engine.jdbi().useTransaction(h -> {
                ResourceRow resource = ResourceStore.lockIdle(h, candidate.id()).orElse(null);
                if (resource == null) {
                    return; // taken or changed since we looked
                }
                if (!LeaseStore.buildingOn(h, resource.id()).isEmpty()) {
                    // Just built for a lease not placed on it yet: idle only until that lease's step runs, not
                    // for the blueprint to judge (one that keeps nothing idle would destroy it, and build anew).
                    return;
                }
                BlueprintRow blueprint = engine.blueprintOf(h, resource);
                // current, not the resource's own: whether to keep it is about its future (decision 42), and a
                // host an operator disabled must retire; its destroy then uses the configuration it was built with
                Optional<BlueprintRegistry.Configured> configured = engine.configuredIfKnown(blueprint);
                if (configured.isEmpty() || Engine.impl(configured.get()).shouldKeep(configured.get().config(),
                        engine.view(resource, blueprint), candidate.idleFor())) {
                    return;
                }
                List<Long> fitting = LeaseStore.waitingFor(h, resource.resourceType(), blueprint.name(), WAITERS_ASKED).stream()
                        .filter(l -> OnResource.allows(l.attributes(), resource.id()))
                        .filter(l -> Engine.impl(configured.get()).meetsAttributes(configured.get().config(), Engine.view(l).attributes()).allowed())
                        .map(LeaseRow::id).toList();
                if (!fitting.isEmpty()) {
                    // a lease waits that it may serve (it lost the resource built for it, or is between backoffs): let
                    // it look first, rather than destroy this one and build another for it
                    engine.tasks().updateLeases(h, fitting);
                    return;
                }
                if (ResourceStore.transition(h, resource, ResourceStatus.ACTIVE, ResourceStatus.RELEASED, "idle for "
                        + candidate.idleFor().toSeconds() + " s, and blueprint " + blueprint.name() + " does not keep it")) {
                    engine.tasks().updateResource(h, resource.id());
                }
            }));
        }
    }

    private record IdleResource(long id, Duration idleFor) {}
}
