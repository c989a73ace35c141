package dev.drydock.api;

/**
 * The thread waiting on a lease ({@link Lease#await}, {@link Lease#awaitEnded}) was interrupted. The
 * wait stopped at once and the thread's interrupt status is still set, so the code that interrupted
 * it can see why it stopped. The lease itself is left as it was: wait again, or release it.
 */
public class LeaseWaitInterruptedException extends DrydockException {
    private static final long serialVersionUID = 1L;
    private final long leaseId;

    public LeaseWaitInterruptedException(long leaseId) {
        super("waiting for lease " + leaseId + " was interrupted; the lease is left as it was: wait again, or release it");
        this.leaseId = leaseId;
    }

    public long leaseId() {
        return leaseId;
    }
}
