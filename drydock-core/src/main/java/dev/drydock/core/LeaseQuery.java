package dev.drydock.core;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.ResourceType;
import dev.drydock.api.LeaseStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * Which leases one page of {@link Drydock#leases(LeaseQuery)} holds: newest first, ids below
 * {@code beforeId}, at most {@code limit}, and only those matching every filter given. A client
 * pages by passing the last id it got as the next {@code beforeId}: new leases get higher ids, so a
 * page never shifts while leases are added. Each filter is served by an index, at any history size.
 * Immutable; the {@code with…} methods return a changed copy.
 *
 * @param status       only leases in this status
 * @param resourceType only leases of this resource type
 * @param blueprint    only leases placed on a resource of the blueprint of this name (a lease
 *                     not yet placed on a resource has no blueprint, and never matches)
 * @param beforeId     only ids below this one ({@link Long#MAX_VALUE}: from the newest)
 * @param limit        the most leases, 1 to {@link Drydock#MAX_LIST}
 */
public record LeaseQuery(Optional<LeaseStatus> status, Optional<String> resourceType, Optional<String> blueprint, long beforeId,
                         int limit) {
    /** @throws InvalidRequestException {@code limit} or {@code beforeId} is out of range, or {@code resourceType} is not a type name */
    public LeaseQuery {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(resourceType, "resourceType");
        resourceType.ifPresent(ResourceType::check);
        Objects.requireNonNull(blueprint, "blueprint");
        PageLimits.check(beforeId, limit);
    }

    /** The newest {@code limit} leases, unfiltered. */
    public static LeaseQuery newest(int limit) {
        return new LeaseQuery(Optional.empty(), Optional.empty(), Optional.empty(), Long.MAX_VALUE, limit);
    }

    public LeaseQuery withStatus(LeaseStatus status) {
        return new LeaseQuery(Optional.of(status), resourceType, blueprint, beforeId, limit);
    }

    public LeaseQuery withResourceType(String type) {
        return new LeaseQuery(status, Optional.of(type), blueprint, beforeId, limit);
    }

    public LeaseQuery withBlueprint(String name) {
        return new LeaseQuery(status, resourceType, Optional.of(name), beforeId, limit);
    }

    /** The page after one whose last lease had id {@code lastId}. */
    public LeaseQuery before(long lastId) {
        return new LeaseQuery(status, resourceType, blueprint, lastId, limit);
    }
}
