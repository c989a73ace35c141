package dev.drydock.core;

import dev.drydock.core.internal.lease.LeaseEvents;
import java.time.Duration;
import java.util.Objects;

/**
 * Wake-ups for a view of many leases (a watched list, a status page), from {@link Drydock#watchLeases()}:
 * read the view, then {@link #await} and read it again. A change committed after the watch was made
 * and before an {@code await} makes that {@code await} return at once, so no change between two
 * reads is missed. Woken by the database's notifications as soon as any lease changes state; it says
 * nothing of what changed. One thread owns a watch; it holds nothing that needs closing.
 */
public final class LeaseChangeWatch {
    private final LeaseEvents.AnyChange changes;

    LeaseChangeWatch(LeaseEvents.AnyChange changes) {
        this.changes = changes;
    }

    /**
     * Waits until some lease has changed since the watch was made or last returned, or {@code max}
     * has passed.
     *
     * @return true if a lease changed (or the notifications were interrupted, so a change may have
     *     been missed), false if the time ran out
     * @throws InterruptedException the thread was interrupted
     */
    public boolean await(Duration max) throws InterruptedException {
        Objects.requireNonNull(max, "max");
        return changes.awaitChange(max);
    }
}
