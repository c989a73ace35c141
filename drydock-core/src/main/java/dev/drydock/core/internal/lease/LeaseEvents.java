package dev.drydock.core.internal.lease;

import dev.drydock.api.LeaseStatus;
import dev.drydock.core.internal.failure.DatabaseFailures;
import dev.drydock.core.internal.store.LeaseStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LISTEN connection per {@code Drydock} that wakes threads waiting on a lease when its row
 * changes, and remembers the status each notification announced (see {@link LeaseStore#CHANNEL}),
 * so that a waiter woken by "now ACTIVE" need not read the row to learn it. Waiters also re-read
 * the row at least once a second, so a lost notification (or this connection being down) only
 * slows a wait, never hangs it.
 */
public final class LeaseEvents implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseEvents.class);
    static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration START_WAIT = Duration.ofSeconds(2);

    private final DataSource dataSource;
    /** Per lease, the signal its waiters share; removed when the last of them unsubscribes. */
    private final Map<Long, LeaseSignal> waiters = new ConcurrentHashMap<>();
    /** Fired by every notification, for views of many leases (a watched list, a status page). */
    private final LeaseSignal anyLease = new LeaseSignal();
    /**
     * Leases changed lately (id to when, and to what), so that a holder that requested a lease and
     * subscribes to it only afterwards learns of a change that came in between, without reading the
     * row first.
     */
    private final Map<Long, Seen> recent = new ConcurrentHashMap<>();
    private static final int RECENT_MAX = 10_000;
    /** Far longer than a request's commit takes to reach its holder's await. */
    private static final Duration RECENT_KEPT = Duration.ofSeconds(10);
    private long lastPruned = System.nanoTime(); // the listener thread's own
    private final CountDownLatch listening = new CountDownLatch(1);
    private volatile boolean closed;
    private Thread thread;

    public LeaseEvents(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Starts listening, on first use: a process that never awaits a lease (a taskmaster) should not
     * hold a connection that every lease change wakes. Waits until LISTEN is in place (or briefly, if
     * the database does not answer: waiters then poll), so that a subscription made after it returns
     * misses nothing.
     */
    public void ensureListening() {
        if (listening.getCount() == 0) {
            return;
        }
        synchronized (this) {
            if (thread == null && !closed) {
                thread = Thread.ofPlatform().daemon().name("drydock-lease-events").start(this::listen);
            }
        }
        try {
            listening.await(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts collecting wake-ups for {@code leaseId} for one waiter; close the subscription when done
     * waiting. Subscribe before reading the lease's state, so that a change committed between the
     * read and the wait is not missed. Any number of threads may wait on one lease at once: every
     * change wakes each of them.
     */
    public Subscription subscribe(long leaseId) {
        ensureListening();
        LeaseSignal signal = waiters.compute(leaseId, (id, s) -> (s == null ? new LeaseSignal() : s).subscribed());
        long seen = signal.generation();
        // A change that arrived before this subscription (the listener records it first, then looks
        // for a signal; we subscribe first, then look at the record): one of us sees the other.
        if (recent.containsKey(leaseId)) {
            seen--;
        }
        return new Subscription(leaseId, signal, seen);
    }

    /** One waiter's subscription to one lease's changes: not thread-safe, one waiting thread owns it. */
    public final class Subscription implements AutoCloseable {
        private final long leaseId;
        private final LeaseSignal signal;
        private long seen;
        private boolean closed;

        private Subscription(long leaseId, LeaseSignal signal, long seen) {
            this.leaseId = leaseId;
            this.signal = signal;
            this.seen = seen;
        }

        /**
         * Waits up to {@code max} (at most the poll interval) for a change of the lease; returns at once
         * if one came since the last wait.
         *
         * @return true if woken by a change (or by the notification connection failing), false if the
         *     time ran out: the caller should then read the row, as a notification may have been lost
         * @throws InterruptedException the thread was interrupted; the caller decides what that means
         */
        public boolean awaitChange(Duration max) throws InterruptedException {
            long woken = signal.awaitBeyond(seen, Math.min(max.toNanos(), POLL.toNanos()));
            boolean changed = woken != seen;
            seen = woken;
            return changed;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                waiters.computeIfPresent(leaseId, (id, s) -> s.unsubscribed() ? null : s);
            }
        }
    }

    /**
     * Wakes on a change of any lease, for a view of many (a watched list or overview). Start it
     * before reading the view, so that a change committed in between wakes the first wait.
     */
    public AnyChange subscribeAll() {
        ensureListening();
        return new AnyChange(anyLease.generation());
    }

    /** One watcher's wake-ups for changes of any lease: not thread-safe, one waiting thread owns it. */
    public final class AnyChange {
        private long seen;

        private AnyChange(long seen) {
            this.seen = seen;
        }

        /**
         * Waits up to {@code max} for a change of any lease since the last wait; at once if one came.
         *
         * @return true if woken by a change (or by the notification connection failing), false if the time ran out
         */
        public boolean awaitChange(Duration max) throws InterruptedException {
            long woken = anyLease.awaitBeyond(seen, max.toNanos());
            boolean changed = woken != seen;
            seen = woken;
            return changed;
        }
    }

    /**
     * The status the latest notification about {@code leaseId} announced, if one came lately and
     * named one. Notifications arrive in commit order, so this is the newest status this process
     * has heard of; the row may have moved on since.
     */
    public Optional<LeaseStatus> lastAnnounced(long leaseId) {
        Seen seen = recent.get(leaseId);
        return seen == null ? Optional.empty() : seen.status();
    }

    private void listen() {
        while (!closed) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + LeaseStore.CHANNEL);
                }
                listening.countDown();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(250);
                    if (notifications != null) {
                        long now = System.nanoTime();
                        for (PGNotification n : notifications) {
                            Optional<Seen> seen = Seen.parse(n.getParameter(), now);
                            if (seen.isEmpty()) {
                                log.warn("lease events: ignored a notification on {} that is not 'ID:STATUS': {}",
                                        LeaseStore.CHANNEL, n.getParameter());
                                continue;
                            }
                            long id = seen.get().leaseId();
                            recent.put(id, seen.get());
                            LeaseSignal s = waiters.get(id);
                            if (s != null) {
                                s.fire();
                            }
                        }
                        anyLease.fire();
                        if (recent.size() > RECENT_MAX && now - lastPruned > RECENT_KEPT.toNanos() / 4) {
                            recent.values().removeIf(seen -> now - seen.atNanos() > RECENT_KEPT.toNanos());
                            lastPruned = now; // a scan at most a few times per window, however busy
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    log.warn("lease events: lost the notification connection ({}); waiters poll meanwhile, reconnecting",
                            DatabaseFailures.brief(e).orElse(e.toString()));
                    waiters.values().forEach(LeaseSignal::fire);
                    anyLease.fire();
                    try {
                        Thread.sleep(POLL);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    /** One notification: which lease, when it arrived, and the status it announced (if it named one). */
    private record Seen(long leaseId, long atNanos, Optional<LeaseStatus> status) {
        static Optional<Seen> parse(String payload, long atNanos) {
            int colon = payload.indexOf(':');
            try {
                long id = Long.parseLong(colon < 0 ? payload : payload.substring(0, colon));
                Optional<LeaseStatus> status = colon < 0 ? Optional.empty() : Optional.of(LeaseStatus.valueOf(payload.substring(colon + 1)));
                return Optional.of(new Seen(id, atNanos, status));
            } catch (IllegalArgumentException e) { // NumberFormatException included
                return Optional.empty();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
