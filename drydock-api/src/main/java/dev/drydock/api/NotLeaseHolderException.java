package dev.drydock.api;

/**
 * The caller tried to use or release a lease with an owner token that is not the lease's: only its
 * holder (with the token {@link Lease#ownerToken()} gave at acquisition) or an operator may act on
 * it. Nothing was changed. Carries the lease id, never a token.
 */
public class NotLeaseHolderException extends DrydockException {
    private static final long serialVersionUID = 1L;
    private final long leaseId;

    public NotLeaseHolderException(long leaseId) {
        this(leaseId, "lease " + leaseId + " is held by someone else: only its holder (with its owner token) or an operator may act on it");
    }

    /** With a message of the caller's, which must name the lease and say who may act on it. */
    public NotLeaseHolderException(long leaseId, String message) {
        super(message);
        this.leaseId = leaseId;
    }

    public long leaseId() {
        return leaseId;
    }
}
