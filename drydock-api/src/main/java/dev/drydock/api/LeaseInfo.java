package dev.drydock.api;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of a lease as the database records it.
 *
 * @param statusReason    why it is in its status, in words an operator can act on
 * @param attributes      what the request asked for
 * @param leaseAttributes what the blueprint recorded while preparing the resource for this lease,
 *                        such as {@code directory}, the lease's working directory on a local or
 *                        remote host; empty until then
 * @param expiresAt       when a TTL will release it, once active
 */
public record LeaseInfo(long id, LeaseStatus status, String resourceType, Optional<Long> resourceId,
                        Optional<String> blueprintName, String statusReason, Map<String, String> attributes,
                        Map<String, String> leaseAttributes, Instant createdAt, Optional<Instant> activatedAt,
                        Optional<Instant> expiresAt, Instant acquireDeadline) {
    public LeaseInfo {
        attributes = Map.copyOf(attributes);
        leaseAttributes = Map.copyOf(leaseAttributes);
    }
}
