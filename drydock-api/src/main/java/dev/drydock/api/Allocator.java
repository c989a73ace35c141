package dev.drydock.api;

import java.util.Optional;

/**
 * Hands out leases. {@code acquire} records the request and returns at once; a taskmaster does the
 * allocation out of process. Thread-safe; one allocator serves a whole application.
 */
public interface Allocator {
    /**
     * Records a lease request (PENDING) and its allocation task in one transaction.
     *
     * @throws InvalidRequestException no stored blueprint builds the request's resource type, or a blueprint it
     *         allows does not exist or builds another type; nothing is stored
     */
    Lease acquire(LeaseRequest request);

    /** A handle on an existing lease, for a holder that knows its id and owner token. */
    Lease attach(long leaseId, String ownerToken);

    Optional<LeaseInfo> find(long leaseId);
}
