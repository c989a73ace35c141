package dev.drydock.core;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.ResourceType;
import dev.drydock.api.ResourceStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * Which resources one page of {@link Drydock#resources(ResourceQuery)} holds: newest first, ids
 * below {@code beforeId}, at most {@code limit}, and only those matching every filter given. Paged
 * like {@link LeaseQuery}: stable while resources are added. Each filter is served by an index.
 * Immutable; the {@code with…} methods return a changed copy.
 *
 * @param status       only resources in this status
 * @param resourceType only resources of this type
 * @param blueprint    only resources of the blueprint of this name
 * @param beforeId     only ids below this one ({@link Long#MAX_VALUE}: from the newest)
 * @param limit        the most resources, 1 to {@link Drydock#MAX_LIST}
 */
public record ResourceQuery(Optional<ResourceStatus> status, Optional<String> resourceType, Optional<String> blueprint, long beforeId,
                            int limit) {
    /** @throws InvalidRequestException {@code limit} or {@code beforeId} is out of range, or {@code resourceType} is not a type name */
    public ResourceQuery {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(resourceType, "resourceType");
        resourceType.ifPresent(ResourceType::check);
        Objects.requireNonNull(blueprint, "blueprint");
        PageLimits.check(beforeId, limit);
    }

    /** The newest {@code limit} resources, unfiltered. */
    public static ResourceQuery newest(int limit) {
        return new ResourceQuery(Optional.empty(), Optional.empty(), Optional.empty(), Long.MAX_VALUE, limit);
    }

    public ResourceQuery withStatus(ResourceStatus status) {
        return new ResourceQuery(Optional.of(status), resourceType, blueprint, beforeId, limit);
    }

    public ResourceQuery withResourceType(String type) {
        return new ResourceQuery(status, Optional.of(type), blueprint, beforeId, limit);
    }

    public ResourceQuery withBlueprint(String name) {
        return new ResourceQuery(status, resourceType, Optional.of(name), beforeId, limit);
    }

    /** The page after one whose last resource had id {@code lastId}. */
    public ResourceQuery before(long lastId) {
        return new ResourceQuery(status, resourceType, blueprint, lastId, limit);
    }
}
