package dev.drydock.api;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of a lease as the database records it.
 *
 * @param statusReason why it is in its status, in words an operator can act on
 * @param expiresAt    when a TTL will release it, once active
 */
public record LeaseInfo(long id, LeaseStatus status, String resourceType, Optional<Long> resourceId,
                        Optional<String> blueprintName, String statusReason, Map<String, String> attributes,
                        Instant createdAt, Optional<Instant> activatedAt, Optional<Instant> expiresAt,
                        Instant acquireDeadline) {
    public LeaseInfo {
        attributes = Map.copyOf(attributes);
    }
}
