package dev.drydock.core.internal.lease;

import dev.drydock.api.InterfaceNotSupportedException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseBrokenException;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseNotFoundException;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.LeaseTimeoutException;
import dev.drydock.api.LeaseWaitInterruptedException;
import dev.drydock.api.ResourceInterface;
import dev.drydock.core.internal.Leases;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The holder's handle: id plus owner token; all state lives in the database. Thread-safe: any number
 * of threads may wait on one handle (or on handles of one lease) at once, and each is woken by a change.
 */
public final class LeaseHandle implements Lease {
    /** How soon {@link #awaitEnded} first reads again: a local clean-up takes milliseconds. */
    private static final Duration FIRST_END_POLL = Duration.ofMillis(10);
    private final long id;
    private final String ownerToken;
    private final Leases leases;
    private final AtomicBoolean released = new AtomicBoolean();
    /** Just requested (PENDING, and lease events were listened to before it committed): the first await need not read. */
    private final AtomicBoolean fresh;

    /**
     * @param fresh the lease was requested by this process a moment ago, with lease events already
     *     listened to (see {@code Leases.request})
     */
    public LeaseHandle(long id, String ownerToken, Leases leases, boolean fresh) {
        this.id = id;
        this.ownerToken = ownerToken;
        this.leases = leases;
        this.fresh = new AtomicBoolean(fresh);
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String ownerToken() {
        return ownerToken;
    }

    @Override
    public LeaseInfo info() {
        return leases.info(id).orElseThrow(() -> new LeaseNotFoundException(id));
    }

    @Override
    public Lease await(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        // subscribed before the first read: a change right after it must still wake us
        try (LeaseEvents.Subscription changes = leases.events().subscribe(id)) {
            // A fresh lease is PENDING, and a change since its request is already a wake-up: no read yet.
            boolean read = !fresh.getAndSet(false);
            while (true) {
                if (read) {
                    LeaseInfo info = info();
                    if (info.status() == LeaseStatus.ACTIVE) {
                        return this;
                    }
                    if (info.status().isDone()) {
                        throw new LeaseBrokenException(id, info.status(), info.statusReason());
                    }
                    if (deadline - System.nanoTime() <= 0) {
                        throw new LeaseTimeoutException(id, timeout, info.status(), info.statusReason());
                    }
                }
                read = true;
                awaitChange(changes, deadline - System.nanoTime());
                // An ACTIVE lease only ever leaves ACTIVE by ending, so having heard it became active is
                // as good as reading it: the holder saves a round trip on every acquisition.
                if (leases.events().lastAnnounced(id).orElse(null) == LeaseStatus.ACTIVE) {
                    return this;
                }
            }
        }
    }

    @Override
    public LeaseInfo awaitEnded(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        // Clean-ups are not announced (a NOTIFY per lease that nobody usually awaits would cost every
        // listener), so this waiter reads the row, soon at first and then less often; a release or
        // break it hears of wakes it early.
        long pollNanos = FIRST_END_POLL.toNanos();
        try (LeaseEvents.Subscription changes = leases.events().subscribe(id)) {
            while (true) {
                LeaseInfo info = info();
                if (info.status() == LeaseStatus.DESTROYED) {
                    return info;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw LeaseTimeoutException.notEnded(id, timeout, info.status(), info.statusReason());
                }
                awaitChange(changes, Math.min(pollNanos, left));
                pollNanos = Math.min(pollNanos * 2, LeaseEvents.POLL.toNanos());
            }
        }
    }

    private void awaitChange(LeaseEvents.Subscription changes, long maxNanos) {
        try {
            changes.awaitChange(Duration.ofNanos(Math.max(0, maxNanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // kept for the caller, whose thread it is
            throw new LeaseWaitInterruptedException(id);
        }
    }

    @Override
    public <T extends ResourceInterface> T interfaceOf(Class<T> type) {
        return leases.interfaceOf(id, ownerToken, type).orElseThrow(() -> new InterfaceNotSupportedException(id, type, leases.blueprintTypeOf(id)));
    }

    @Override
    public void release() {
        // Marked only once the database took it: a release that failed (database away, a wrong
        // token) can be tried again, and two racing calls both releasing is harmless (idempotent).
        if (!released.get()) {
            // Releasing is how an interrupted holder cleans up (a try-with-resources block after an
            // interrupted await): the interrupt is set aside so that waiting for a pooled connection
            // does not fail the release, and kept for the caller.
            boolean interrupted = Thread.interrupted();
            try {
                leases.release(id, ownerToken);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            released.set(true);
        }
    }

    @Override
    public String toString() {
        return "Lease[" + id + "]"; // never the owner token
    }
}
