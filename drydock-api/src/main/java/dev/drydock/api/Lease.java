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
     * @throws LeaseWaitInterruptedException the thread was interrupted: the wait stops at once, the
     *         thread's interrupt status stays set, and the lease is left as it is
     */
    Lease await(Duration timeout);

    /**
     * Blocks until the lease has ended and been cleaned up (DESTROYED: its blueprint released what it
     * prepared for it), and returns it as it ended; at once if it already has. It does not end the
     * lease: call {@link #release()} first (or let its TTL run out). Use it when what comes next needs
     * the clean-up done, such as a process about to stop its taskmaster.
     *
     * @return the lease as it ended; its reason says how (released, broken, expired)
     * @throws LeaseTimeoutException {@code timeout} passed first; the message says the status it was in
     * @throws LeaseWaitInterruptedException the thread was interrupted: the wait stops at once, the
     *         thread's interrupt status stays set, and the lease is left as it is
     * @throws LeaseNotFoundException there is no such lease
     */
    LeaseInfo awaitEnded(Duration timeout);

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

    default HttpdInterface httpdInterface() {
        return interfaceOf(HttpdInterface.class);
    }

    /**
     * Gives the lease back; the resource is kept or destroyed as its blueprint decides. Releasing a
     * lease that is not active yet cancels its request. Idempotent. A release that failed (the
     * database away) is not taken for done: calling it again, or {@link #close()}, tries again.
     */
    void release();

    /** {@link #release()}: also retries a release that failed before. */
    @Override
    default void close() {
        release();
    }
}
