package dev.drydock.core.internal.store;

import dev.drydock.core.internal.failure.DatabaseFailures;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analyzes the lease table whenever it has doubled since the planner last counted it, while it is
 * young, so that statements planned while it was small stop reading it sequentially. Opt-in
 * ({@code Drydock.Builder.analyzeYoungLeaseTable}); the measurements behind it are in
 * docs/benchmarks.md and docs/architecture.md (engine decision 4).
 *
 * <p>Why: a connection keeps the plan of a prepared statement until the table's statistics change,
 * and on a new database the first plans read {@code dd_lease} from end to end, which costs more with
 * every lease until autovacuum analyzes it. The row count is judged by the highest lease id seen
 * (leases are never deleted) against {@code pg_class.reltuples}, the planner's count. A check runs
 * off the caller's thread, at most one at a time, and the next is due only when the ids have
 * doubled again. Checks stop past {@link #CEILING}: by then plans read the table by index, and an
 * analysis makes every session plan its statements anew, for a while at every execution, since
 * PostgreSQL keeps each statement's average cost of value-specific plans across invalidations.
 * Without the right to analyze, PostgreSQL skips it with a warning.
 */
public final class GrowthAnalyzer {
    private static final Logger log = LoggerFactory.getLogger(GrowthAnalyzer.class);
    /** Below this, a sequential read of the table costs about what an index lookup does. */
    static final long FLOOR = 1_000;
    /** No check is started for lease ids past this. */
    static final long CEILING = 10_000;

    private final Jdbi jdbi;
    private final AtomicLong nextCheckAt = new AtomicLong(FLOOR);
    private final AtomicBoolean checking = new AtomicBoolean();

    public GrowthAnalyzer(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Notes that a lease with this id exists; starts a check when ids have doubled since the last. */
    public void seen(long leaseId) {
        if (leaseId < nextCheckAt.get() || nextCheckAt.get() > CEILING || !checking.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("drydock-analyze-leases").start(() -> {
            try {
                check(leaseId);
            } catch (RuntimeException e) {
                log.warn("could not analyze dd_lease after it grew to lease id {}: {}; trying again when it has doubled", leaseId,
                        DatabaseFailures.brief(e).orElse(e.toString()));
            } finally {
                nextCheckAt.set(2 * leaseId);
                checking.set(false);
            }
        });
    }

    private void check(long leaseId) {
        jdbi.useHandle(h -> {
            double counted = h.createQuery("SELECT reltuples FROM pg_class WHERE oid = 'dd_lease'::regclass").mapTo(Double.class).one();
            if (counted * 2 >= leaseId) {
                return;
            }
            long started = System.nanoTime();
            h.execute("ANALYZE dd_lease");
            log.info("analyzed dd_lease in {} ms: lease ids reached {}, the planner had counted {} rows",
                    (System.nanoTime() - started) / 1_000_000, leaseId, Math.max(0, (long) counted));
        });
    }
}
