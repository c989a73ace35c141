package dev.drydock.api;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of a resource as the database records it.
 *
 * @param capacity     how many leases it can hold at once
 * @param activeLeases how many it holds now
 * @param attributes   facts the blueprint recorded (never secrets)
 */
public record ResourceInfo(long id, ResourceStatus status, String resourceType, String blueprintName,
                           String statusReason, int capacity, int activeLeases, Map<String, String> attributes,
                           Instant createdAt) {
    public ResourceInfo {
        attributes = Map.copyOf(attributes);
    }
}
