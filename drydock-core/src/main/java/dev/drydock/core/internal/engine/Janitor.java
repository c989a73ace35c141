package dev.drydock.core.internal.engine;

import dev.drydock.taskqueue.Task;
import dev.drydock.taskqueue.TaskHandler;
import dev.drydock.taskqueue.TaskOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A perpetual task (it yields instead of finishing): releases leases whose TTL ran out, wakes
 * pending leases past their deadline so their update breaks them with a reason, and frees slot
 * locks whose owner is destroyed. One runs at a time across all taskmasters (serialization key).
 */
public final class Janitor implements TaskHandler {
    static final Duration INTERVAL = Duration.ofSeconds(1);
    private final Engine engine;

    public Janitor(Engine engine) {
        this.engine = engine;
    }

    @Override
    public TaskOutcome handle(Task task) {
        engine.jdbi().useTransaction(h -> {
            List<Long> expired = h.createQuery("""
                            WITH e AS (
                              UPDATE dd_lease SET released_from = status, status = 'RELEASED', status_reason = 'its TTL ran out', released_at = now(),
                                     updated_at = now(), version = version + 1
                              WHERE status = 'ACTIVE' AND expires_at < now() RETURNING id, resource_id)
                            , l AS (INSERT INTO dd_log (lease_id, resource_id, message)
                                    SELECT id, resource_id, 'lease ' || id || ' ACTIVE -> RELEASED: its TTL ran out' FROM e)
                            SELECT id FROM e""").mapTo(Long.class).list();
            List<Long> overdue = h.createQuery("SELECT id FROM dd_lease WHERE status = 'PENDING' AND acquire_deadline < now() LIMIT 100")
                    .mapTo(Long.class).list();
            List<Long> wake = new ArrayList<>(expired);
            wake.addAll(overdue);
            engine.tasks().updateLeases(h, wake);
            h.createUpdate("""
                    DELETE FROM dd_slot_lock s WHERE
                      (owner_resource_id IS NOT NULL AND NOT EXISTS
                        (SELECT 1 FROM dd_resource r WHERE r.id = s.owner_resource_id AND r.status <> 'DESTROYED'))
                      OR (owner_lease_id IS NOT NULL AND NOT EXISTS
                        (SELECT 1 FROM dd_lease l WHERE l.id = s.owner_lease_id AND l.status <> 'DESTROYED'))""").execute();
        });
        destroyIdleResourcesTheirBlueprintsDoNotKeep();
        scheduleHealthChecks();
        return TaskOutcome.yieldFor(INTERVAL);
    }

    /** Queues a health check for each active resource whose blueprint asks for checks and is due one. */
    private void scheduleHealthChecks() {
        engine.jdbi().useTransaction(h -> {
            var due = h.createQuery("""
                            SELECT r.id, r.blueprint_id, (extract(epoch FROM now() - coalesce(r.checked_at, r.created_at)) * 1000)::bigint
                            FROM dd_resource r WHERE r.status = 'ACTIVE' ORDER BY r.checked_at NULLS FIRST LIMIT 500""")
                    .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).list();
            Map<Long, Duration> intervals = new HashMap<>();
            List<Long> check = new ArrayList<>();
            for (long[] row : due) {
                Duration interval = intervals.computeIfAbsent(row[1], bid -> dev.drydock.core.internal.store.BlueprintStore.byId(h, bid)
                        .flatMap(engine::configuredIfKnown)
                        .map(c -> Engine.impl(c).healthCheckInterval(c.config())).orElse(Duration.ZERO));
                if (!interval.isZero() && row[2] >= interval.toMillis()) {
                    check.add(row[0]);
                }
            }
            for (long id : check) {
                dev.drydock.core.internal.store.ResourceStore.markChecked(h, id);
                engine.tasks().updateResource(h, id);
            }
        });
    }

    /** Asks each idle resource's blueprint whether to keep it; releases (then destroys) those it does not. */
    private void destroyIdleResourcesTheirBlueprintsDoNotKeep() {
        List<IdleResource> idle = engine.jdbi().withHandle(h -> h.createQuery("""
                        SELECT id, (extract(epoch FROM now() - idle_since) * 1000)::bigint FROM dd_resource
                        WHERE status = 'ACTIVE' AND active_leases = 0 AND idle_since IS NOT NULL ORDER BY idle_since LIMIT 200""")
                .map((rs, ctx) -> new IdleResource(rs.getLong(1), Duration.ofMillis(rs.getLong(2)))).list());
        for (IdleResource candidate : idle) {
            engine.jdbi().useTransaction(h -> {
                var resource = dev.drydock.core.internal.store.ResourceStore.lock(h, candidate.id()).orElse(null);
                if (resource == null || resource.status() != dev.drydock.api.ResourceStatus.ACTIVE || resource.activeLeases() > 0) {
                    return; // taken or changed since we looked
                }
                var blueprint = engine.blueprintOf(h, resource);
                var configured = engine.configuredIfKnown(blueprint);
                if (configured.isEmpty() || Engine.impl(configured.get()).shouldKeep(configured.get().config(),
                        Engine.view(resource, blueprint), candidate.idleFor())) {
                    return;
                }
                if (dev.drydock.core.internal.store.ResourceStore.transition(h, resource, dev.drydock.api.ResourceStatus.ACTIVE,
                        dev.drydock.api.ResourceStatus.RELEASED, "idle for " + candidate.idleFor().toSeconds()
                                + " s, and blueprint " + blueprint.name() + " does not keep it")) {
                    engine.tasks().updateResource(h, resource.id());
                }
            });
        }
    }

    private record IdleResource(long id, Duration idleFor) {}
}
