package dev.drydock.core.internal.engine;

import dev.drydock.api.ResourceStatus;
import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import dev.drydock.core.internal.failure.DatabaseFailures;
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
 * slot locks whose owner is destroyed, re-queues rows whose task was lost, and starts each
 * blueprint's reaper: the jobs that need no blueprint's implementation. Those that do (health
 * checks, idle resources) are each type's {@link TypeJanitor}'s.
 * One runs at a time across all taskmasters (serialization key). Each job fails on its own: the
 * janitor logs it and goes on, and always yields, so it is never given up (it is what ends TTLs
 * everywhere).
 */
public final class Janitor implements TaskHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Janitor.class);
    static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration ORPHAN_SWEEP_EVERY = Duration.ofSeconds(5);
    private final Engine engine;
    private Instant nextOrphanSweep = Instant.EPOCH;

    public Janitor(Engine engine) {
        this.engine = engine;
    }

    @Override
    public TaskOutcome handle(Task task) {
        guarded("expire TTLs and wake overdue leases", () -> engine.jdbi().useTransaction(this::expireAndWakeOverdue));
        guarded("free orphaned slot locks", () -> engine.jdbi().useHandle(Janitor::freeOrphanedSlotLocks));
        if (!Instant.now().isBefore(nextOrphanSweep)) {
            nextOrphanSweep = Instant.now().plus(ORPHAN_SWEEP_EVERY);
            guarded("re-queue orphaned leases and resources", () -> engine.jdbi().useTransaction(h -> OrphanSweep.sweep(h, engine)));
            guarded("start blueprints' reapers", () -> engine.jdbi().useTransaction(h -> OrphanSweep.startReapers(h, engine)));
        }
        return TaskOutcome.yieldFor(INTERVAL);
    }

    static void guarded(String job, Runnable run) {
        try {
            run.run();
        } catch (RuntimeException e) {
            String what = StepFailure.describe(e);
            if (DatabaseFailures.brief(e).isPresent()) { // a database going away is expected: one line, the trace only at DEBUG
                LOG.warn("janitor: could not {} this time; trying again in {} s: {}", job, INTERVAL.toSeconds(), what);
                LOG.debug("janitor: could not {}", job, e);
            } else {
                LOG.warn("janitor: could not {} this time; trying again in {} s: {}", job, INTERVAL.toSeconds(), what, e);
            }
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

}
