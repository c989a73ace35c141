package dev.drydock.core.internal.store;

import dev.drydock.api.LeaseStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A stored lease; {@code gangId} names the gang it is a member of, if any (docs/planner.md). */
public record LeaseRow(long id, String ownerToken, String resourceType, Map<String, String> attributes,
                       List<String> allowedBlueprints, LeaseStatus status, String statusReason, Optional<Long> resourceId,
                       Optional<Long> buildingResourceId, Map<String, String> leaseAttributes, Optional<Long> ttlMs,
                       Instant acquireDeadline, int waits, Instant createdAt, Optional<Instant> activatedAt,
                       Optional<Instant> expiresAt, Optional<Long> gangId) {
    /** This lease as its PENDING -> ACQUIRED transition onto {@code resource} left it. */
    public LeaseRow acquiredOn(long resource) {
        return new LeaseRow(id, ownerToken, resourceType, attributes, allowedBlueprints, LeaseStatus.ACQUIRED, statusReason,
                Optional.of(resource), Optional.empty(), leaseAttributes, ttlMs, acquireDeadline, waits, createdAt, activatedAt, expiresAt, gangId);
    }
}
