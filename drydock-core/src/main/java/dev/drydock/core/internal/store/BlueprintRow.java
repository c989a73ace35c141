package dev.drydock.core.internal.store;

/**
 * A stored blueprint. {@code configVersion} numbers its configurations (one more with each change),
 * so a resource built with this {@code config} can tell it is still current by comparing one number.
 * {@code placement} names the scorer that ranks its resources for a lease. {@code gangHoldLeaseId} is
 * the first member of the oldest gang waiting for room here (its place in the request order), which
 * needs {@code gangHoldPlaces} lease places on existing resources and {@code gangHoldBuilds} new
 * resources (its FIFO hold).
 */
public record BlueprintRow(long id, String name, String type, String resourceType, String config, int configVersion, int resourceLimit,
                           int resourceCount, boolean enabled, String placement, java.util.Optional<Long> gangHoldLeaseId, int gangHoldPlaces,
                           int gangHoldBuilds) {
    /**
     * Whether a request with id {@code requestId} must leave this blueprint's head gang the room it
     * needs (docs/planner.md, "Admission"): a gang older than the request waits for room here.
     * A gang's own request id is its first member's.
     */
    public boolean heldFor(long requestId) {
        return gangHoldLeaseId.isPresent() && gangHoldLeaseId.get() < requestId;
    }
}
