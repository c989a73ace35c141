package dev.drydock.core.internal.engine;

import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.taskqueue.TaskOutcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a step of a batch of lease updates for each lease on its own. */
final class PerLease {
    private static final Logger log = LoggerFactory.getLogger(PerLease.class);

    private PerLease() {}

    /**
     * Runs {@code step} for each lease on its own, so that one lease's failure (a blueprint throwing,
     * a lost connection) is that lease's retry, not its whole batch's.
     */
    static Map<Long, TaskOutcome> each(List<LeaseRow> leases, Function<LeaseRow, TaskOutcome> step) {
        Map<Long, TaskOutcome> outcomes = new HashMap<>();
        for (LeaseRow lease : leases) {
            outcomes.put(lease.id(), run(lease, step));
        }
        return outcomes;
    }

    /** {@link #each} for one lease. */
    static TaskOutcome run(LeaseRow lease, Function<LeaseRow, TaskOutcome> step) {
        try {
            return step.apply(lease);
        } catch (RuntimeException e) {
            return retry(lease.id(), e);
        }
    }

    /**
     * The outcome of a lease whose step threw {@code e}: logged, and a failure whose error is in
     * words for the lease's status reason ({@link LeaseUpdater} retries it on the engine's backoff).
     */
    static TaskOutcome retry(long leaseId, RuntimeException e) {
        String what = StepFailure.describe(e);
        log.warn("update of lease {} failed; it will be retried: {}", leaseId, what);
        log.debug("update of lease {} failed", leaseId, e);
        return TaskOutcome.retry("its last step failed: " + what);
    }
}
