package dev.drydock.core.internal.store;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analyzes the lease table whenever it has doubled since the planner last counted it, while it is
 * young, so that statements planned while it was small stop reading it sequentially.
 *
 * <p>Why: a connection keeps the plan of a prepared statement until the table's statistics change,
 * and the plans of the batch statements are made for the size those statistics give. On a new
 * database the first plans read {@code dd_lease} from end to end, which costs nothing while it holds
 * a few hundred rows and more with every lease after; autovacuum analyzes it at most once per
 * {@code autovacuum_naptime} (a minute by default). The lease benchmark's warm-up on a new database
 * ran at a third of its later speed for its first 48 s, until autovacuum came. An ANALYZE replaces
 * every session's cached plans that use the table, the holders' included.
 *
 * <p>The row count is judged by the highest lease id seen (leases are never deleted, so ids and rows
 * grow together) against {@code pg_class.reltuples}, the planner's count. A check runs off the
 * caller's thread, at most one at a time, and the next is due only when the ids have doubled again.
 * Checks stop past {@link #CEILING}: from a few thousand rows the plans made from the statistics
 * read the table by index, and more rows only make that more so, while every analysis makes each
 * session plan its statements anew, and for a while after it PostgreSQL plans them per execution:
 * it keeps each statement's average cost of the plans made for actual values across
 * invalidations (plancache.c says so, on purpose), the new generic plan, made for the larger
 * table, costs more than that old average, and only fresh plans, each also charged for its
 * planning, raise the average past it, the more slowly the more plans the connection made
 * before. In the lease benchmark, an analysis at 32,000 leases had the clean-up's statement
 * planned at every one of its 571 executions in the window, 1.7 ms each. So a new database is analyzed at
 * about 1,000, 2,000, 4,000 and 8,000 leases, and autovacuum keeps the statistics after that.
 * Without the right to analyze (a role that does not own the table), PostgreSQL skips it with a
 * warning and autovacuum's schedule is all there is.
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
                log.warn("could not analyze dd_lease after it grew to lease id {}: {}", leaseId, e.getMessage());
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
