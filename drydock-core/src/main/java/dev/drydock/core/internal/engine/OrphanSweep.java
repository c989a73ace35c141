package dev.drydock.core.internal.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds leases and resources that are not final yet have no task queued or running (a crash or a
 * bug lost it), and queues their update again. Without this, such a row would hold its capacity or
 * its place in the limit for good. Only orphans match the queries, so their LIMIT cannot let some
 * rows hide others: each pass takes the next ones.
 *
 * <p>Likewise it starts the reaper of each blueprint that has none queued or running
 * ({@link #startReapers}): a new blueprint's first, or one a crash lost. This is how reapers start
 * at all, so it is no warning.
 */
final class OrphanSweep {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanSweep.class);
    /** How long a row must have stood still: a row changes and queues its task in one transaction, so this is only a margin. */
    static final Duration QUIET = Duration.ofSeconds(5);
    private static final int BATCH = 500;

    private OrphanSweep() {}

    // Each status set is one a partial index covers (dd_lease_waiting, dd_lease_on_resource,
    // dd_lease_ending; dd_resource_live, dd_resource_ending), so the sweep reads live rows, not history.
    private static final String LEASES = """
            SELECT l.id FROM dd_lease l
            WHERE l.status IN ('PENDING', 'ACQUIRED', 'RELEASED', 'BROKEN') AND l.updated_at < now() - :quiet * interval '1 millisecond'
              AND (l.gang_id IS NULL OR l.status IN ('RELEASED', 'BROKEN'))
              AND NOT EXISTS (SELECT 1 FROM tq_task t WHERE t.serial_key = 'lease:' || l.id AND t.state = 'queued')
              AND NOT EXISTS (SELECT 1 FROM tq_task t WHERE t.serial_key = 'lease:' || l.id AND t.state = 'running')
            ORDER BY l.id LIMIT :limit""";
    private static final String RESOURCES = """
            SELECT r.id FROM dd_resource r
            WHERE r.status IN ('PENDING', 'RELEASED', 'BROKEN') AND r.updated_at < now() - :quiet * interval '1 millisecond'
              AND NOT EXISTS (SELECT 1 FROM tq_task t WHERE t.serial_key = 'resource:' || r.id AND t.state = 'queued')
              AND NOT EXISTS (SELECT 1 FROM tq_task t WHERE t.serial_key = 'resource:' || r.id AND t.state = 'running')
            ORDER BY r.id LIMIT :limit""";

    // Gangs not done are few (dd_gang_live); a gang's members hand their updates to its task.
    private static final String GANGS = """
            SELECT g.id FROM dd_gang g
            WHERE g.status IN ('WAITING', 'RESERVED') AND g.updated_at < now() - :quiet * interval '1 millisecond'
              AND NOT EXISTS (SELECT 1 FROM tq_task t WHERE t.serial_key = 'gang:' || g.id AND t.state = 'queued')
              AND NOT EXISTS (SELECT 1 FROM tq_task t WHERE t.serial_key = 'gang:' || g.id AND t.state = 'running')
            ORDER BY g.id LIMIT :limit""";

    // Blueprints are few; the task look-ups read tq_task_waiting_key and tq_task_running_key.
    private static final String REAPERLESS = """
            SELECT b.id, b.type FROM dd_blueprint b
            WHERE b.deleted_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM tq_task t WHERE t.serial_key = 'reap:' || b.id AND t.state = 'queued')
              AND NOT EXISTS (SELECT 1 FROM tq_task t WHERE t.serial_key = 'reap:' || b.id AND t.state = 'running')
            ORDER BY b.id LIMIT :limit""";

    static void sweep(Handle h, Engine engine) {
        List<Long> leases = h.createQuery(LEASES).bind("quiet", QUIET.toMillis()).bind("limit", BATCH).mapTo(Long.class).list();
        List<Long> resources = h.createQuery(RESOURCES).bind("quiet", QUIET.toMillis()).bind("limit", BATCH).mapTo(Long.class).list();
        if (!leases.isEmpty() || !resources.isEmpty()) {
            LOG.warn("re-queueing the updates of {} leases {} and {} resources {} that had none (lost by a crash or a bug)",
                    leases.size(), leases, resources.size(), resources);
        }
        engine.tasks().updateLeases(h, leases);
        List<Long> gangs = h.createQuery(GANGS).bind("quiet", QUIET.toMillis()).bind("limit", BATCH).mapTo(Long.class).list();
        if (!gangs.isEmpty()) {
            LOG.warn("re-queueing the updates of {} gangs {} that had none (lost by a crash or a bug)", gangs.size(), gangs);
        }
        gangs.forEach(id -> engine.tasks().updateGang(h, id));
        dev.drydock.core.internal.store.GangStore.releaseStaleHolds(h);
        for (long id : resources) {
            engine.tasks().updateResource(h, id);
        }
    }

    /** Queues the reaper of each blueprint that has none queued or running. */
    static void startReapers(Handle h, Engine engine) {
        List<Map.Entry<Long, String>> reaperless = h.createQuery(REAPERLESS).bind("limit", BATCH)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2))).list();
        if (!reaperless.isEmpty()) {
            LOG.info("starting the reapers of blueprints {}", reaperless.stream().map(Map.Entry::getKey).toList());
        }
        for (Map.Entry<Long, String> blueprint : reaperless) {
            engine.tasks().startReaper(h, blueprint.getKey(), blueprint.getValue());
        }
    }
}
