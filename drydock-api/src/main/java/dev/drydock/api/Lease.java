package dev.drydock.api;

import java.time.Duration;

/**
 * The holder's handle on one lease. Obtained from {@link Allocator#acquire(LeaseRequest)} at once,
 * while allocation goes on out of process; {@link #await(Duration)} waits until it is usable.
 * Closing the handle releases the lease (idempotent). Thread-safe.
 */
public interface Lease extends AutoCloseable {
    long id();

    /**
     * The secret that proves holding: with the id it lets another process {@link Allocator#attach}
     * to the lease and release it. Never logged by Drydock.
     */
    String ownerToken();

    /** A fresh snapshot from the database. */
    LeaseInfo info();

    /**
     * Blocks until the lease is active and returns this handle, woken by the database as soon as
     * its state changes.
     *
     * @throws LeaseBrokenException  it broke (or was released) first; the exception says why
     * @throws LeaseTimeoutException {@code timeout} passed first; the lease is left as it is
     */
    Lease await(Duration timeout);

    /**
     * An interface on the leased resource; the lease must be active.
     *
     * @throws InterfaceNotSupportedException the resource offers no interface of that type
     */
    <T extends ResourceInterface> T interfaceOf(Class<T> type);

    default CommandInterface commandInterface() {
        return interfaceOf(CommandInterface.class);
    }

    default FilesystemInterface filesystemInterface() {
        return interfaceOf(FilesystemInterface.class);
    }

    /** Gives the lease back; the resource is kept or destroyed as its blueprint decides. Idempotent. */
    void release();

    @Override
    default void close() {
        release();
    }
}
