package dev.drydock.core;

import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceStatus;
import java.util.List;
import java.util.Map;

/**
 * How many leases and resources are live now, for gauges: read from partial indexes that hold only
 * live rows, and from the blueprints' table, never from the history ({@link Drydock#census}).
 * DESTROYED rows are history and are not counted.
 *
 * @param leases     leases by live status (PENDING, ACQUIRED, ACTIVE, RELEASED, BROKEN), each present, 0 when none
 * @param blueprints the blueprints not deleted, by name
 */
public record Census(Map<LeaseStatus, Long> leases, List<BlueprintCount> blueprints) {
    /** The statuses counted: every lease status but DESTROYED. */
    public static final List<LeaseStatus> LIVE_LEASES = List.of(LeaseStatus.PENDING, LeaseStatus.ACQUIRED, LeaseStatus.ACTIVE,
            LeaseStatus.RELEASED, LeaseStatus.BROKEN);
    /** The statuses counted: every resource status but DESTROYED. */
    public static final List<ResourceStatus> LIVE_RESOURCES = List.of(ResourceStatus.PENDING, ResourceStatus.ACTIVE,
            ResourceStatus.RELEASED, ResourceStatus.BROKEN);

    public Census {
        leases = Map.copyOf(leases);
        blueprints = List.copyOf(blueprints);
    }

    /**
     * One blueprint.
     *
     * @param limit     its resource limit
     * @param resources its resources by live status, each present, 0 when none
     */
    public record BlueprintCount(String name, String type, String resourceType, boolean enabled, int limit,
                                 Map<ResourceStatus, Long> resources) {
        public BlueprintCount {
            resources = Map.copyOf(resources);
        }
    }
}
