package dev.drydock.api;

/** No lease has the given id. */
public class LeaseNotFoundException extends DrydockException {
    private static final long serialVersionUID = 1L;
    private final long leaseId;

    public LeaseNotFoundException(long leaseId) {
        super("no lease " + leaseId);
        this.leaseId = leaseId;
    }

    public long leaseId() {
        return leaseId;
    }
}
