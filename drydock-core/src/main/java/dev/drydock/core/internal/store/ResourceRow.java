package dev.drydock.core.internal.store;

import dev.drydock.api.ResourceStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A stored resource. {@code configVersion} is the version of its blueprint's configuration it was
 * built with (its copy is in the row, read only when that is not the blueprint's current one), or
 * {@link #NO_SNAPSHOT} for a resource built before snapshots were stored. {@code failedAt} is when
 * it last failed (broke, or a lease failed to be prepared on it), {@code readyAt} when it became ACTIVE.
 */
public record ResourceRow(long id, long blueprintId, String resourceType, ResourceStatus status, String statusReason,
                          int capacity, int activeLeases, Map<String, String> attributes, Instant createdAt, int configVersion,
                          Optional<Instant> failedAt, Optional<Instant> readyAt) {
    /** The {@link #configVersion} of a resource built before migration V8: it uses its blueprint's current configuration. */
    public static final int NO_SNAPSHOT = 0;

    /** Whether this resource's steps use its blueprint's configuration as stored now ({@code blueprint} is its own). */
    public boolean usesCurrentConfig(BlueprintRow blueprint) {
        return configVersion == NO_SNAPSHOT || configVersion == blueprint.configVersion();
    }
}
