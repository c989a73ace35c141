package dev.drydock.api;

import java.time.Duration;

/**
 * {@link Lease#await(Duration)} gave up waiting. The lease itself is unchanged and still pending;
 * await again, or release it.
 */
public class LeaseTimeoutException extends DrydockException {
    private static final long serialVersionUID = 1L;
    private final long leaseId;

    public LeaseTimeoutException(long leaseId, Duration waited, LeaseStatus status, String statusReason) {
        super("lease " + leaseId + " not active after " + waited + "; it is " + status + ": " + statusReason);
        this.leaseId = leaseId;
    }

    public long leaseId() {
        return leaseId;
    }
}
