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
     * @throws InvalidRequestException the request names no known resource type or a malformed attribute
     */
    Lease acquire(LeaseRequest request);

    /** A handle on an existing lease, for a holder that knows its id and owner token. */
    Lease attach(long leaseId, String ownerToken);

    Optional<LeaseInfo> find(long leaseId);
}
