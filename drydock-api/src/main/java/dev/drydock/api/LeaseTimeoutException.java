package dev.drydock.api;

import java.time.Duration;

/**
 * A wait on a lease gave up: {@link Lease#await(Duration)} before it became active, or {@link
 * Lease#awaitEnded(Duration)} before it was cleaned up. The lease itself is unchanged: wait again, or
 * release it.
 */
public class LeaseTimeoutException extends DrydockException {
    private static final long serialVersionUID = 1L;
    private final long leaseId;

    public LeaseTimeoutException(long leaseId, Duration waited, LeaseStatus status, String statusReason) {
        this(leaseId, "lease " + leaseId + " not active after " + waited + "; it is " + status + ": " + statusReason);
    }

    private LeaseTimeoutException(long leaseId, String message) {
        super(message);
        this.leaseId = leaseId;
    }

    /** {@link Lease#awaitEnded(Duration)} gave up while the lease was in {@code status}. */
    public static LeaseTimeoutException notEnded(long leaseId, Duration waited, LeaseStatus status, String statusReason) {
        String advice = status.isDone() ? "its clean-up is still running: wait longer, or read its log to see what holds it up"
                : "waiting does not end it: release it first";
        return new LeaseTimeoutException(leaseId, "lease " + leaseId + " not cleaned up after " + waited + "; it is " + status + ": "
                + statusReason + "; " + advice);
    }

    public long leaseId() {
        return leaseId;
    }
}
