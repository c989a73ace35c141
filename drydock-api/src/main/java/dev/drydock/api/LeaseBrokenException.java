package dev.drydock.api;

/** The lease broke (or was released) before it became active; the message says why. */
public class LeaseBrokenException extends DrydockException {
    private static final long serialVersionUID = 1L;
    private final long leaseId;
    private final LeaseStatus status;
    private final String reason;

    public LeaseBrokenException(long leaseId, LeaseStatus status, String reason) {
        super("lease " + leaseId + " is " + status + ": " + reason);
        this.leaseId = leaseId;
        this.status = status;
        this.reason = reason;
    }

    public long leaseId() {
        return leaseId;
    }

    public LeaseStatus status() {
        return status;
    }

    /** Why it broke, as recorded on the lease. */
    public String reason() {
        return reason;
    }
}
