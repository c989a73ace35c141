package dev.drydock.taskqueue.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One taskmaster's presence in the database, and its watch over the others'.
 *
 * <p>It holds a session-level advisory lock on a long-lived connection (the listener's), so the
 * lock ends exactly when that session does: at once when the process dies, since the kernel closes
 * its sockets. About every {@link #LOOK_INTERVAL_NANOS} it looks for registered taskmasters whose
 * lock is gone; one seen gone on two looks in a row is forgotten and its running tasks' leases
 * expire at once, so any taskmaster claims them as it claims any expired task, within about a
 * second of the death instead of a whole lease.
 *
 * <p>What it guarantees not to judge: a frozen or partitioned process whose session the server
 * still has (its lease expiry stays the fallback); anyone who took their lock before the server
 * last started, until they take it again; anyone at all while this taskmaster's own presence is
 * younger than {@link #GRACE_NANOS}, so that after a failover the others have time to come back. A
 * live taskmaster whose presence connection is cut for longer than a second (but not its work)
 * can be judged: its tasks then run again elsewhere, which at-least-once execution allows.
 *
 * <p>The listener's thread takes, looks and releases; {@link #awaitFirstTaken} and {@link #leaving}
 * may be called from any thread.
 */
public final class Presence {
    private static final Logger log = LoggerFactory.getLogger(Presence.class);

    static final long LOOK_INTERVAL_NANOS = 500_000_000L;
    static final long GRACE_NANOS = 2_000_000_000L;

    private final TaskmasterConfig config;
    private final String id;
    private final Wakeup wakeup;
    private final CountDownLatch firstTaken = new CountDownLatch(1);
    private int key;
    private volatile boolean leaving;
    private long heldSinceNanos;
    private long nextLookNanos;
    private Set<String> goneLastLook = Set.of();

    public Presence(TaskmasterConfig config, Wakeup wakeup) {
        this.config = config;
        this.id = config.id();
        this.wakeup = wakeup;
    }

    /**
     * Waits until the presence was first taken, at most {@code timeout}: a taskmaster that claims
     * before then and dies leaves its tasks to their lease. False when the time ran out.
     */
    public boolean awaitFirstTaken(Duration timeout) throws InterruptedException {
        return firstTaken.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Takes the presence lock on a new session, first thing: the previous session's lock ended with it. */
    public void connected(Connection c) throws SQLException {
        if (key == 0) {
            key = newKey(c);
        }
        while (!ask(c, PresenceSql.TAKE, key)) {
            key = newKey(c); // the sequence wrapped onto a key someone holds
        }
        heldSinceNanos = System.nanoTime();
        nextLookNanos = heldSinceNanos;
        goneLastLook = Set.of();
        record(c);
        firstTaken.countDown();
    }

    private void record(Connection c) throws SQLException {
        Sql.update(c, PresenceSql.RECORD, id, LocalHost.name(), ProcessHandle.current().pid(), config.threads(),
                c.createArrayOf("text", config.kinds().sorted().toArray()), config.leaseDuration().toMillis(), key);
    }

    /** The taskmaster is shutting down and will unregister: its presence is not recorded again. */
    public void leaving() {
        leaving = true;
    }

    /** Lets go of the lock on a session that is being given back, so the pool does not keep it. Best effort. */
    public void release(Connection c) {
        try {
            if (key != 0 && !c.isClosed()) {
                ask(c, PresenceSql.RELEASE, key);
            }
        } catch (SQLException ignored) {
            // A broken session: its locks ended with it.
        }
    }

    /** Called often on the presence session; looks at the others when a look is due. */
    public void tick(Connection c) throws SQLException {
        long now = System.nanoTime();
        if (now - nextLookNanos < 0) {
            return;
        }
        nextLookNanos = now + LOOK_INTERVAL_NANOS;
        Set<String> gone = new HashSet<>();
        boolean forgotten = false;
        try (PreparedStatement s = c.prepareStatement(PresenceSql.LOOK)) {
            Sql.bind(s, id, id, id, key);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(1)) {
                        forgotten = true;
                    } else {
                        gone.add(rs.getString(2));
                    }
                }
            }
        }
        if (forgotten && !leaving) {
            log.warn("{}: the queue had forgotten this taskmaster (another found its presence gone, or it missed heartbeats "
                    + "for three leases); registering again, but tasks it was running may already run elsewhere too", id);
            record(c);
        }
        List<String> dead = new ArrayList<>(gone);
        dead.retainAll(goneLastLook);
        goneLastLook = gone;
        if (!dead.isEmpty() && now - heldSinceNanos >= GRACE_NANOS) {
            forget(c, dead);
        }
    }

    private void forget(Connection c, List<String> dead) throws SQLException {
        long freed = 0;
        try (PreparedStatement s = c.prepareStatement(PresenceSql.FORGET)) {
            s.setArray(1, c.createArrayOf("text", dead.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long tasks = rs.getLong(2);
                    freed += tasks;
                    log.warn("{}: taskmaster {} is gone: its database session ended without a shutdown (killed or crashed); "
                            + "its {} running task(s) go back to the queue now instead of when their leases run out",
                            id, rs.getString(1), tasks);
                }
            }
        }
        goneLastLook = Set.of();
        if (freed > 0) {
            int exhausted = Sql.update(c, QueueSql.SWEEP_EXHAUSTED);
            if (exhausted > 0) {
                log.error("{}: archived {} task(s) as failed whose taskmaster died on their last attempt", id, exhausted);
            }
            RunFinisher.notifyDue(c, 0); // taskmasters of other kinds, asleep, claim theirs too
            wakeup.ring();
        }
    }

    private static int newKey(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(PresenceSql.NEW_KEY); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean ask(Connection c, String sql, int key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setInt(1, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
