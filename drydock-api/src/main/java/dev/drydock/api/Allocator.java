package dev.drydock.api;

import java.time.Duration;
import java.util.Objects;
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

    /**
     * Records a gang: leases that become ACTIVE together or not at all (they may differ in type and
     * attributes), in one transaction with the gang's task. The gang's one deadline is the earliest
     * of the members' {@link LeaseRequest#acquireDeadline}s. Until every member has its place the
     * gang holds nothing; gangs are admitted in request order per blueprint (docs/planner.md).
     *
     * @param members 1 to {@link #MAX_GANG} requests
     * @throws InvalidRequestException no members, too many, or a member that {@link #acquire} would
     *         refuse (the message names it); nothing is stored
     */
    Gang acquireAll(java.util.List<LeaseRequest> members);

    /** The most members a gang may have. */
    int MAX_GANG = 1000;

    /** A handle on an existing lease, for a holder that knows its id and owner token. */
    Lease attach(long leaseId, String ownerToken);

    Optional<LeaseInfo> find(long leaseId);

    /**
     * Acquires a lease, waits until it is active, runs {@code body} with it and releases it, also when
     * waiting or {@code body} fails; returns what {@code body} returns. The release does not wait for
     * the clean-up (see the overload that does).
     *
     * <p>What {@code body} throws is passed on unchanged; a failure of the release after it is added to
     * it as suppressed. If {@code body} returns, a failed release is thrown.
     *
     * @param activeTimeout how long to wait for the lease to become active (see {@link Lease#await})
     * @throws LeaseBrokenException  the lease broke before it became active; {@code body} did not run
     * @throws LeaseTimeoutException it was not active in time; its request was cancelled and {@code body} did not run
     * @throws X what {@code body} threw
     */
    default <T, X extends Exception> T withLease(LeaseRequest request, Duration activeTimeout, LeaseCallback<T, X> body) throws X {
        return LeaseScope.run(this, request, activeTimeout, Optional.empty(), body);
    }

    /**
     * {@link #withLease(LeaseRequest, Duration, LeaseCallback)}, and then, if {@code body} returned,
     * waits until the lease is cleaned up (see {@link Lease#awaitEnded}); when {@code body} failed,
     * its failure is passed on without waiting.
     *
     * @param endedTimeout how long to wait for the clean-up after the release
     * @throws LeaseTimeoutException also when the clean-up took longer than {@code endedTimeout}
     */
    default <T, X extends Exception> T withLease(LeaseRequest request, Duration activeTimeout, Duration endedTimeout,
                                                 LeaseCallback<T, X> body) throws X {
        return LeaseScope.run(this, request, activeTimeout, Optional.of(Objects.requireNonNull(endedTimeout, "endedTimeout")), body);
    }
}
