package dev.drydock.core.internal.engine;

import dev.drydock.api.ResourceStatus;
import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.BlueprintStore;
import dev.drydock.core.internal.store.ResourceRow;
import dev.drydock.core.internal.store.ResourceStore;
import dev.drydock.taskqueue.Task;
import dev.drydock.taskqueue.TaskHandler;
import dev.drydock.taskqueue.TaskOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A perpetual task (it yields instead of finishing): releases leases whose TTL ran out, wakes
 * pending and acquired leases past their deadline so their update breaks them with a reason, frees
 * slot locks whose owner is destroyed, releases idle resources their blueprints do not keep,
 * schedules health checks, re-queues rows whose task was lost, and starts each blueprint's reaper.
 * One runs at a time across all taskmasters (serialization key). Each job fails on its own: the
 * janitor logs it and goes on, and always yields, so it is never given up (it is what ends TTLs
 * everywhere).
 */
public final class Janitor implements TaskHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Janitor.class);
    static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration ORPHAN_SWEEP_EVERY = Duration.ofSeconds(5);
    private static final int IDLE_BATCH = 200;
    private final Engine engine;
    /** Where the idle sweep goes on from: it walks all idle resources in id order, a batch a pass. */
    private long idleAfter;
    private Instant nextOrphanSweep = Instant.EPOCH;

    public Janitor(Engine engine) {
        this.engine = engine;
    }

    @Override
    public TaskOutcome handle(Task task) {
        guarded("expire TTLs and wake overdue leases", () -> engine.jdbi().useTransaction(this::expireAndWakeOverdue));
        guarded("free orphaned slot locks", () -> engine.jdbi().useHandle(Janitor::freeOrphanedSlotLocks));
        guarded("release idle resources", this::releaseIdleResourcesTheirBlueprintsDoNotKeep);
        guarded("schedule health checks", this::scheduleHealthChecks);
        if (!Instant.now().isBefore(nextOrphanSweep)) {
            nextOrphanSweep = Instant.now().plus(ORPHAN_SWEEP_EVERY);
            guarded("re-queue orphaned leases and resources", () -> engine.jdbi().useTransaction(h -> OrphanSweep.sweep(h, engine)));
            guarded("start blueprints' reapers", () -> engine.jdbi().useTransaction(h -> OrphanSweep.startReapers(h, engine)));
        }
        return TaskOutcome.yieldFor(INTERVAL);
    }

    private static void guarded(String job, Runnable run) {
        try {
            run.run();
        } catch (RuntimeException e) {
            LOG.warn("janitor: could not {} this time; trying again in {} s: {}", job, INTERVAL.toSeconds(), StepFailure.describe(e), e);
        }
    }

    private void expireAndWakeOverdue(org.jdbi.v3.core.Handle h) {
        List<Long> expired = h.createQuery("""
                        WITH e AS (
                          UPDATE dd_lease SET released_from = status, status = 'RELEASED', status_reason = 'its TTL ran out', released_at = now(),
                                 updated_at = now(), version = version + 1
                          WHERE status = 'ACTIVE' AND expires_at < now() RETURNING id, resource_id)
                        , l AS (INSERT INTO dd_log (lease_id, resource_id, message)
                                SELECT id, resource_id, 'lease ' || id || ' ACTIVE -> RELEASED: its TTL ran out' FROM e)
                        SELECT id FROM e""").mapTo(Long.class).list();
        // acquired leases too: one whose blueprint keeps preparing it would otherwise wait for good
        List<Long> overdue = h.createQuery("""
                        (SELECT id FROM dd_lease WHERE status = 'PENDING' AND acquire_deadline < now() LIMIT 100)
                        UNION ALL
                        (SELECT id FROM dd_lease WHERE status = 'ACQUIRED' AND acquire_deadline < now() LIMIT 100)""")
                .mapTo(Long.class).list();
        List<Long> wake = new ArrayList<>(expired);
        wake.addAll(overdue);
        engine.tasks().updateLeases(h, wake);
    }

    private static void freeOrphanedSlotLocks(org.jdbi.v3.core.Handle h) {
        h.createUpdate("""
                DELETE FROM dd_slot_lock s WHERE
                  (owner_resource_id IS NOT NULL AND NOT EXISTS
                    (SELECT 1 FROM dd_resource r WHERE r.id = s.owner_resource_id AND r.status <> 'DESTROYED'))
                  OR (owner_lease_id IS NOT NULL AND NOT EXISTS
                    (SELECT 1 FROM dd_lease l WHERE l.id = s.owner_lease_id AND l.status <> 'DESTROYED'))""").execute();
    }

    /**
     * Queues a health check for each active resource that is due one, blueprint by blueprint: only
     * due resources are read, so resources of blueprints without checks (or not yet due) cannot
     * fill the batch and hide those that are.
     */
    private void scheduleHealthChecks() {
        List<BlueprintRow> blueprints = engine.jdbi().withHandle(BlueprintStore::all);
        for (BlueprintRow b : blueprints) {
            Duration interval = healthCheckInterval(b);
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
     * Asks each idle resource's blueprint whether to keep it; releases (then destroys) those it does
     * not. The sweep walks idle resources in id order a batch per pass and starts over at the end,
     * so resources kept idle (a warm pool) cannot hide the others.
     */
    private void releaseIdleResourcesTheirBlueprintsDoNotKeep() {
        List<IdleResource> idle = engine.jdbi().withHandle(h -> h.createQuery("""
                        SELECT id, (extract(epoch FROM now() - idle_since) * 1000)::bigint FROM dd_resource
                        WHERE status = 'ACTIVE' AND active_leases = 0 AND idle_since IS NOT NULL AND id > :after
                        ORDER BY id LIMIT :limit""")
                .bind("after", idleAfter).bind("limit", IDLE_BATCH)
                .map((rs, ctx) -> new IdleResource(rs.getLong(1), Duration.ofMillis(rs.getLong(2)))).list());
        idleAfter = idle.size() < IDLE_BATCH ? 0 : idle.getLast().id();
        for (IdleResource candidate : idle) {
            guarded("ask about idle resource " + candidate.id(), () -> engine.jdbi().useTransaction(h -> {
                ResourceRow resource = ResourceStore.lock(h, candidate.id()).orElse(null);
                if (resource == null || resource.status() != ResourceStatus.ACTIVE || resource.activeLeases() > 0) {
                    return; // taken or changed since we looked
                }
                BlueprintRow blueprint = engine.blueprintOf(h, resource);
                // current, not the resource's own: whether to keep it is about its future (decision 42), and a
                // host an operator disabled must retire; its destroy then uses the configuration it was built with
                Optional<BlueprintRegistry.Configured> configured = engine.configuredIfKnown(blueprint);
                if (configured.isEmpty() || Engine.impl(configured.get()).shouldKeep(configured.get().config(),
                        engine.view(resource, blueprint), candidate.idleFor())) {
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
