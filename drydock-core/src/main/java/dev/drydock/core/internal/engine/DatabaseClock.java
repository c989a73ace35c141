package dev.drydock.core.internal.engine;

import java.time.Instant;

/**
 * The database's clock, as a statement read it, moved on by this JVM's monotonic clock since. Lease
 * deadlines are set from the database's {@code now()}; comparing them with this, rather than with the
 * JVM's wall clock, keeps a taskmaster whose clock is off (or jumps) from breaking leases early or
 * late, and costs no statement of its own: the batch's lookup reads {@code now()} with the leases.
 */
record DatabaseClock(Instant readAt, long readAtNanos) {
    static DatabaseClock readAt(Instant databaseNow) {
        return new DatabaseClock(databaseNow, System.nanoTime());
    }

    Instant now() {
        return readAt.plusNanos(System.nanoTime() - readAtNanos);
    }

    boolean isPast(Instant deadline) {
        return now().isAfter(deadline);
    }
}
