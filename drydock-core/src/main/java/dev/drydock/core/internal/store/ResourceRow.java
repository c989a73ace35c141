package dev.drydock.core.internal.store;

import dev.drydock.api.ResourceStatus;
import java.time.Instant;
import java.util.Map;

/** A stored resource. */
public record ResourceRow(long id, long blueprintId, String resourceType, ResourceStatus status, String statusReason,
                          int capacity, int activeLeases, Map<String, String> attributes, Instant createdAt) {}
