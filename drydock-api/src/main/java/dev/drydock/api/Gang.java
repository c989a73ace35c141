package dev.drydock.api;

import java.time.Duration;
import java.util.List;

/**
 * The holder's handle on a gang: leases requested together with {@link Allocator#acquireAll} that
 * become ACTIVE together or not at all. While it waits the gang holds no room at all, so gangs never
 * deadlock each other; no member is ever ACTIVE while another is not. Closing it releases every
 * member (idempotent). Thread-safe.
 */
public interface Gang extends AutoCloseable {
    long id();

    /** The members' handles, in the order they were requested. */
    List<Lease> leases();

    /** A fresh snapshot of the gang and its members from the database. */
    GangInfo info();

    /**
     * Blocks until every member is ACTIVE and returns the members, in request order.
     *
     * @throws LeaseBrokenException  a member broke (or was released) first; it names the member and why
     * @throws LeaseTimeoutException {@code timeout} passed first; the gang is left as it is
     * @throws LeaseWaitInterruptedException the thread was interrupted; the gang is left as it is
     */
    List<Lease> await(Duration timeout);

    /**
     * Releases every member; before the gang is active this cancels the request and the gang
     * breaks, giving back whatever it had reserved. Idempotent.
     */
    void release();

    /** {@link #release()}. */
    @Override
    default void close() {
        release();
    }
}
