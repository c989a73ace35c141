package dev.drydock.api.spi;

import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceInterface;
import java.util.Map;
import java.util.Optional;

/**
 * A lease that a resource holds on another resource (a working copy's host, a web root's
 * checkout), as a blueprint step sees it: read when the step asked for it, not updated after.
 *
 * <p>The engine holds it on the owning resource's behalf: its owner token is never shown to the
 * blueprint, put in attributes or logged. It wakes the owner's next step when it becomes ACTIVE,
 * BROKEN or RELEASED; if it breaks or is released by anyone but its owner, the owner breaks with a
 * reason that names the chain; and the owner's destruction releases it in the transaction that
 * marks the owner DESTROYED. The engine provides it; blueprints never implement it.
 */
public interface SubLease {
    /** The name the owner's blueprint gave it, unique among the owner's current sub-leases. */
    String name();

    /** The lease's id, for logs and {@code drydock-control why}. */
    long id();

    LeaseStatus status();

    /** Why it is in its status, e.g. what it waits for. */
    String statusReason();

    /** The resource it is placed on, once ACQUIRED. */
    Optional<Long> resourceId();

    /** What its resource's blueprint recorded for it (its directory, a resolved commit). */
    Map<String, String> leaseAttributes();

    /**
     * What its resource's blueprint recorded about the resource (a host's address, its cores), read
     * when asked; empty until it is placed. For facts a composite needs from what it leased, such
     * as the address its own server should listen on; never secrets, as no attribute is.
     */
    Map<String, String> resourceAttributes();

    default boolean isActive() {
        return status() == LeaseStatus.ACTIVE;
    }

    /**
     * An interface on the leased resource, for this step's work on it.
     *
     * @throws IllegalStateException the sub-lease is not ACTIVE (the message says what it is and why)
     * @throws dev.drydock.api.InterfaceNotSupportedException its resource's blueprint offers no such interface
     */
    <T extends ResourceInterface> T getInterface(Class<T> type);
}
